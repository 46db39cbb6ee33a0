import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import type { FraudDesk } from '../../intake/mules/fraud-desks.js';
import { FreezeRequestError } from '../../intake/mules/freeze-request-error.js';
import { freezeRequestsOfReport } from '../../intake/mules/freeze-requests.js';
import { nationalFreezeChannels } from '../../intake/mules/national-freeze-channels.js';
import { recordFreezeRequest } from '../../intake/mules/record-freeze-request.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();
const hour = 60 * 60_000;

/** A victim living in `country` who paid `to` yesterday. */
function paid(
  country: string,
  to: string,
  payment: Partial<NonNullable<NonNullable<ReportInput['losses']>['payments']>[number]> = {},
) {
  return {
    channel: 'web',
    language: 'en',
    consent: { shareWithLawEnforcement: true },
    victim: { nationality: country, residenceCountry: country },
    incident: { category: 'investment_crypto', narrative: 'I paid the account they gave me' },
    losses: {
      payments: [
        { date: '2026-03-09', amount: 20_000, currency: 'THB', method: 'bank_transfer', toAccount: to, ...payment },
      ],
    },
  } as ReportInput;
}

describe.each(testDatabaseKinds)('national freeze channels for accounts no fraud desk handles (%s)', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  let at: Date;
  const now = () => at;

  beforeEach(async () => {
    at = new Date('2026-03-10T08:00:00.000Z');
    database = await createTestDatabase(kind);
    intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      now,
      freezeRequests: { recentDays: 7, hours: 2 },
    });
  });
  afterEach(async () => {
    await database?.dispose();
  });

  const deps = (desks: FraudDesk[] = [], db = database.db) => ({ db, cipher: intake.cipher, now, desks });
  const requestOf = async (input: ReportInput, desks: FraudDesk[] = []) => {
    const { reportId } = await intake.reports.submitReport(input, { actor: 'public' });
    const [request] = await freezeRequestsOfReport(deps(desks), reportId, at);
    return { reportId, request: request! };
  };

  it('every shipped channel names its sources, and a way to reach it', () => {
    for (const channel of nationalFreezeChannels) {
      expect(channel.sources.length).toBeGreaterThan(0);
      for (const source of channel.sources) expect(source).toMatch(/^https:\/\//);
      expect(channel.phone ?? channel.form).toBeDefined();
    }
  });

  it('shows a Thai account the AOC 1441 line, and records a request by phone once, audited with its clock', async () => {
    const { reportId, request } = await requestOf(paid('TH', 'ไทยพาณิชย์ 987-6-54321-0'));
    expect(request.desk).toBeNull();
    expect(request.channel).toMatchObject({ id: 'th-aoc-1441', phone: '1441', allHours: true });
    // The AOC takes calls; it has no web form to record.
    await expect(recordFreezeRequest(deps(), { id: request.id, actor: 'user:alice', via: 'form' })).rejects.toThrow(
      new FreezeRequestError('freeze_request.no_freeze_channel'),
    );

    at = new Date(at.getTime() + 3 * hour);
    await expect(recordFreezeRequest(deps(), { id: request.id, actor: 'user:alice', via: 'phone' })).resolves.toEqual({
      channel: 'th-aoc-1441',
    });
    const [asked] = await freezeRequestsOfReport(deps(), reportId, at);
    expect(asked).toMatchObject({
      sentAt: at.toISOString(),
      sentTo: 'th-aoc-1441',
      sentVia: 'phone',
      sentToChannel: { id: 'th-aoc-1441' },
      msLeft: null,
    });
    const events = (await listAuditEvents(database.db, { reportId })).filter(
      (event) => event.action === 'freeze_request.requested',
    );
    expect(events).toMatchObject([
      {
        actor: 'user:alice',
        detail: { freezeRequest: request.id, channel: 'th-aoc-1441', via: 'phone', lateSeconds: 3600 },
      },
    ]);
    await expect(recordFreezeRequest(deps(), { id: request.id, actor: 'user:bob', via: 'phone' })).rejects.toThrow(
      new FreezeRequestError('freeze_request.already_sent'),
    );
  });

  it('shows an Indonesian e-wallet the IASC web form, with what a report for someone else needs', async () => {
    const { request } = await requestOf(
      paid('ID', '0812 3456 7890', { method: 'e_wallet', currency: 'IDR', amount: 2_500_000 }),
    );
    expect(request.channel).toMatchObject({ id: 'id-iasc', form: 'https://iasc.ojk.go.id' });
    expect(request.channel?.phone).toBeUndefined();
    expect(request.channel?.noteKey).toBe('mules.channel.note.iasc');
  });

  it('shows no channel where a deployment desk handles the bank, nor for a wallet on a blockchain', async () => {
    const desk: FraudDesk = {
      id: 'scb-fraud',
      name: 'SCB fraud desk',
      accounts: ['scb'],
      email: { to: ['fraud@scb.example'] },
      source: 'agreement (test)',
    };
    const { request } = await requestOf(paid('TH', 'ไทยพาณิชย์ 987-6-54321-0'), [desk]);
    expect(request.desk).toMatchObject({ id: 'scb-fraud' });
    expect(request.channel).toBeNull();
    await expect(
      recordFreezeRequest(deps([desk]), { id: request.id, actor: 'user:alice', via: 'phone' }),
    ).rejects.toThrow(new FreezeRequestError('freeze_request.no_freeze_channel'));

    const wallet = await requestOf(
      paid('TH', 'TXh3Ck9mZqYp2TLqgT6dW8sE4vR1uN7bKa', { method: 'crypto', currency: 'USDT' }),
    );
    expect(wallet.request.channel).toBeNull();
  });

  it('records one request when two staff press at once on two instances', async () => {
    const { reportId, request } = await requestOf(paid('TH', 'ไทยพาณิชย์ 987-6-54321-0'));
    const others = [openDatabase(database.location), openDatabase(database.location)];
    try {
      const outcomes = await Promise.allSettled(
        others.map((db, index) =>
          recordFreezeRequest(deps([], db), { id: request.id, actor: `user:${index}`, via: 'phone' }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(refused?.reason).toEqual(new FreezeRequestError('freeze_request.already_sent'));
      const events = (await listAuditEvents(database.db, { reportId })).filter(
        (event) => event.action === 'freeze_request.requested',
      );
      expect(events).toHaveLength(1);
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
  });
});
