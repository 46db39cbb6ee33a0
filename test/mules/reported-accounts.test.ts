import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { accountsReportedBySeveral } from '../../intake/mules/reported-accounts.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

type Payment = NonNullable<NonNullable<ReportInput['losses']>['payments']>[number];

function report(payments: Payment[], extra: Partial<ReportInput> = {}): ReportInput {
  return {
    channel: 'web',
    language: 'th',
    consent: { shareWithLawEnforcement: true },
    victim: { nationality: 'TH', residenceCountry: 'TH' },
    losses: { payments },
    ...extra,
  };
}

describe.each(testDatabaseKinds)('accounts reported by several people (%s)', (kind) => {
  let database: TestDatabase;
  let intake: Intake;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    intake = assembleIntake({ db: database.db, cipher: testCipher() });
  });
  afterEach(async () => {
    await database?.dispose();
  });

  const submit = (input: ReportInput) => intake.reports.submitReport(input, { actor: 'public' });

  it('counts the distinct reports naming an account and sums what they paid to it, per currency', async () => {
    const mule = 'กสิกรไทย 123-4-56789-0';
    await submit(report([{ amount: 20_000, currency: 'THB', toAccount: mule, date: '2026-01-02' }]));
    // Two payments in one report: one report, both amounts; and one in another currency.
    await submit(
      report([
        { amount: 5_000.5, currency: 'THB', toAccount: 'KBank 1234567890' },
        { amount: 1_500, currency: 'THB', toAccount: mule },
        { amount: 300, currency: 'USD', toAccount: mule },
      ]),
    );
    // Named as the scammers' account, with nothing paid to it: counted, no loss.
    await submit(report([], { suspects: { bankAccounts: [mule] } }));
    // Marked by staff as a duplicate of another report: not counted again.
    const repeated = await submit(report([{ amount: 20_000, currency: 'THB', toAccount: mule }]));
    await database.db.updateTable('reports').set({ status: 'duplicate' }).where('id', '=', repeated.reportId).execute();
    // Another account, named once.
    await submit(report([{ amount: 999, currency: 'THB', toAccount: 'ไทยพาณิชย์ 987-6-54321-0' }]));

    const listed = await accountsReportedBySeveral(intake);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      kind: 'bank_account',
      value: 'kasikorn:1234567890',
      reports: 3,
      losses: [
        { currency: 'THB', amount: 26_500.5, reports: 2 },
        { currency: 'USD', amount: 300, reports: 1 },
      ],
    });
  });

  it('lists an e-wallet number payments went to, but not a phone that is only someone’s number, and never decrypts every report', async () => {
    const wallet = '+66812345678';
    await submit(report([{ amount: 3_000, currency: 'THB', method: 'e_wallet', toAccount: wallet }]));
    await submit(report([{ amount: 4_000, currency: 'THB', method: 'e_wallet', toAccount: '081 234 5678' }]));
    await submit(report([], { suspects: { phones: ['+66 89 999 8888'] } }));
    await submit(report([], { suspects: { phones: ['0899998888'] } }));
    for (let i = 0; i < 5; i += 1) await submit(report([], { incident: { narrative: `story ${i}` } }));

    const decrypt = vi.spyOn(intake.cipher, 'decryptJson');
    try {
      const listed = await accountsReportedBySeveral(intake);
      expect(listed.map((account) => [account.kind, account.value, account.reports])).toEqual([['phone', wallet, 2]]);
      expect(listed[0]!.losses).toEqual([{ currency: 'THB', amount: 7_000, reports: 2 }]);
      // One report's indicators, to show the account: not the nine reports.
      expect(decrypt).toHaveBeenCalledTimes(1);
    } finally {
      decrypt.mockRestore();
    }
  });
});
