import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { deliveryFixture } from '../support/delivery-fixture.js';
import { completeReport } from '../support/fixtures.js';
import { runEntryPoint } from '../support/spawn-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const secret = 'whsec_e67KGuGbIxD3WdDFkQWOOT+BYVLNYIEEO8dBU5sgSQo=';

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a dispatcher killed in the middle of its work', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => database.dispose());

  it('loses nothing when started again, and never resends what was recorded as acknowledged', async () => {
    const key = randomBytes(32);
    const webhook = await startWebhookReceiver(secret);
    const smtp = await startSmtpReceiver();
    const { reports } = deliveryFixture(database, { webhookUrl: webhook.url, secret, cipher: new FieldCipher(key) });
    const total = 30;
    for (let i = 0; i < total; i += 1) await reports.submitReport(completeReport(), { actor: 'test' });

    const env = {
      DB_FILE: database.filename!,
      DATA_KEY_HEX: key.toString('hex'),
      WEBHOOK_URL: webhook.url,
      SECRET: secret,
      SMTP_URL: smtp.url,
    };
    const first = runEntryPoint('test/support/dispatcher-process.ts', [], env);
    await waitFor(() => webhook.accepted.length >= 8);
    first.child.kill('SIGKILL');
    await first.exited;

    const deliveredAtKill = new Set(
      (await database.db.selectFrom('deliveries').select('id').where('status', '=', 'delivered').execute()).map(
        (row) => row.id,
      ),
    );
    const acceptedAtKill = webhook.accepted.length;
    expect(deliveredAtKill.size).toBeLessThan(total * 2);

    const second = runEntryPoint('test/support/dispatcher-process.ts', [], env);
    try {
      await waitFor(async () => {
        const row = await database.db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', '=', 'delivered')
          .executeTakeFirstOrThrow();
        return Number(row.n) === total * 2;
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    const allDeliveries = await database.db.selectFrom('deliveries').select(['id', 'method']).execute();
    const webhookIds = allDeliveries
      .filter((d) => d.method === 'webhook')
      .map((d) => d.id)
      .sort();
    // Nothing lost: every webhook event and every e-mail arrived.
    expect([...new Set(webhook.accepted.map((hit) => hit.eventId))].sort()).toEqual(webhookIds);
    expect(new Set(smtp.messages.map((m) => /X-Reportline-Event-Id: (\S+)/i.exec(m.raw)?.[1])).size).toBe(total);
    // Nothing recorded as acknowledged was sent again after the restart.
    const resentAfterRestart = webhook.accepted.slice(acceptedAtKill).filter((hit) => deliveredAtKill.has(hit.eventId));
    expect(resentAfterRestart).toEqual([]);
    // At most the deliveries in flight at the kill (acknowledged, not yet recorded) arrive twice, with the same event
    // id.
    expect(webhook.accepted.length - webhookIds.length).toBeLessThanOrEqual(2);

    await webhook.close();
    await smtp.close();
  });
});
