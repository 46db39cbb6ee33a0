import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { IgnoredIndicators } from '../../intake/indicators/ignored-indicators.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';

/** Three victims of one investment scam, who wrote the recruiter's number three ways. */
const reports: ReportInput[] = [
  {
    consent: { shareWithLawEnforcement: true },
    language: 'th',
    victim: { currentCountry: 'TH' },
    incident: {
      category: 'investment_crypto',
      narrative: `โอน 1,500 USDT ไปที่ ${wallet} แล้วติดต่อไม่ได้ เบอร์ +855 12 345 678`,
    },
  },
  {
    consent: { shareWithLawEnforcement: true },
    language: 'ko',
    victim: { currentCountry: 'KH' },
    suspects: { phones: ['012-345-678'], wallets: [wallet] },
  },
  {
    consent: { shareWithLawEnforcement: true },
    language: 'en',
    victim: { currentCountry: 'KR' },
    incident: {
      narrative: `They called from (+855) 12345678 and took my USDT (sent to ${wallet}). Bank hotline +66 2 123 4567 said it was a scam.`,
    },
  },
];

describe.each(testDatabaseKinds)('linking reports on %s', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  const ids: string[] = [];
  const references: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      // A bank's public hotline appears in unrelated reports and must not link them.
      ignored: new IgnoredIndicators([{ kind: 'phone', value: '+6621234567' }]),
    });
    for (const report of reports) {
      const result = await intake.reports.submitReport(report, { actor: 'test' });
      ids.push(result.reportId);
      references.push(result.reference);
    }
  });
  afterAll(async () => database?.dispose());

  it('links three reports that share a TRON wallet and a phone number written three ways', async () => {
    for (const [index, id] of ids.entries()) {
      const linked = await intake.links.linkedReports(id);
      expect(linked.map((entry) => entry.reference).sort()).toEqual(
        references.filter((_, other) => other !== index).sort(),
      );
      for (const entry of linked) {
        expect(entry.shared).toEqual(
          expect.arrayContaining([
            { kind: 'phone', value: '+85512345678' },
            { kind: 'crypto_address', value: `tron:${wallet}` },
          ]),
        );
      }
    }
  });

  it('lists every report carrying an indicator', async () => {
    const carriers = await intake.links.reportsCarrying('crypto_address', `tron:${wallet}`);
    expect(carriers.map((entry) => entry.reference).sort()).toEqual([...references].sort());
  });

  it('does not link reports through an ignored number', async () => {
    const unrelated = await intake.reports.submitReport(
      {
        consent: { shareWithLawEnforcement: true },
        victim: { currentCountry: 'TH' },
        incident: { narrative: 'I called my bank at 02 123 4567 about a phishing SMS.' },
      },
      { actor: 'test' },
    );
    expect((await intake.reports.getReportById(unrelated.reportId))?.indicators.map((i) => i.value)).toEqual([
      '+6621234567',
    ]);
    expect(await intake.links.linkedReports(unrelated.reportId)).toEqual([]);
    expect((await intake.links.linkedReports(ids[2]!)).some((entry) => entry.reference === unrelated.reference)).toBe(
      false,
    );
  });
});
