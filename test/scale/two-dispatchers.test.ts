import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { deliveryFixture } from '../support/delivery-fixture.js';
import { completeReport } from '../support/fixtures.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

const secret = 'whsec_e67KGuGbIxD3WdDFkQWOOT+BYVLNYIEEO8dBU5sgSQo=';

describe.each(testDatabaseKinds)('two delivery dispatchers on one database (%s)', (kind) => {
  let database: TestDatabase;
  let second: Kysely<Database>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    second = kind === 'postgres' ? openDatabase(database.location) : database.db;
  });
  afterAll(async () => {
    if (second !== database.db) await second.destroy();
    await database.dispose();
  });

  it('send every delivery once between them, each acknowledged once by its receiver', async () => {
    const cipher = new FieldCipher(randomBytes(32));
    // The receiver is slow, as a real agency's is: both dispatchers are at work at the same time.
    const webhook = await startWebhookReceiver(secret);
    const smtp = await startSmtpReceiver();
    const one = deliveryFixture(database, { webhookUrl: webhook.url, secret, cipher, smtpUrl: smtp.url });
    const two = deliveryFixture(
      { ...database, db: second },
      { webhookUrl: webhook.url, secret, cipher, smtpUrl: smtp.url },
    );
    const total = 40;
    for (let i = 0; i < total; i += 1) await one.reports.submitReport(completeReport(), { actor: 'test' });

    await Promise.all([one.dispatcher.runOnce(), two.dispatcher.runOnce(), one.dispatcher.runOnce()]);

    const rows = await database.db.selectFrom('deliveries').select(['id', 'method', 'status', 'attempts']).execute();
    expect(rows).toHaveLength(total * 2);
    expect(rows.filter((row) => row.status !== 'delivered')).toEqual([]);
    expect(rows.filter((row) => row.attempts !== 1)).toEqual([]);
    const webhookIds = rows.filter((row) => row.method === 'webhook').map((row) => row.id);
    // The receivers count event ids: each arrived, and none twice.
    expect(webhook.accepted.map((hit) => hit.eventId).sort()).toEqual(webhookIds.sort());
    const mailIds = smtp.messages.map((mail) => /X-Reportline-Event-Id: (\S+)/i.exec(mail.raw)?.[1]);
    expect(mailIds).toHaveLength(total);
    expect(new Set(mailIds).size).toBe(total);
    const delivered = await database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', '=', 'delivery.delivered')
      .executeTakeFirstOrThrow();
    expect(Number(delivered.n)).toBe(total * 2);
    one.close();
    two.close();
    await webhook.close();
    await smtp.close();
  });

  it('stop() lets what is under way finish and claims nothing more', async () => {
    const cipher = new FieldCipher(randomBytes(32));
    const webhook = await startWebhookReceiver(secret);
    const smtp = await startSmtpReceiver();
    const fixture = deliveryFixture(database, {
      webhookUrl: webhook.url,
      secret,
      cipher,
      smtpUrl: smtp.url,
      concurrency: 2,
    });
    for (let i = 0; i < 20; i += 1) await fixture.reports.submitReport(completeReport(), { actor: 'test' });
    fixture.dispatcher.start(60_000);
    while (webhook.accepted.length + smtp.messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await fixture.dispatcher.stop();
    const rows = await database.db
      .selectFrom('deliveries')
      .select(['status', 'lease_until'])
      .where('status', '!=', 'delivered')
      .execute();
    // Stopped long before 40 were sent, and nothing is left claimed: another instance takes the rest at once.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.lease_until !== null)).toEqual([]);
    fixture.close();
    await webhook.close();
    await smtp.close();
  });
});
