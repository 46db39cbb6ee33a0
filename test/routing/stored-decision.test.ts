import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { createCaseRouter, planRouting } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';
import { correctRouting } from '../../intake/routing/routing-correction.js';
import { routingContext } from '../../intake/routing/routing-plan.js';
import { RoutingStore } from '../../intake/routing/routing-store.js';
import { decisionChosenByStaff } from '../../intake/routing/staff-routing.js';
import {
  readStoredRoutingDecision,
  UnreadableRoutingDecisionError,
} from '../../intake/routing/stored-routing-decision.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();
const directory = loadAgencyDirectory();
const heldInSihanoukville = {
  consent: { shareWithLawEnforcement: true },
  victim: { nationality: 'KR', residenceCountry: 'KR', currentCountry: 'KH' },
  safety: { heldAgainstWill: true },
  incident: { category: 'fake_job_compound' },
  suspects: { compound: { place: 'Sihanoukville', country: 'KH' } },
};

describe.each(testDatabaseKinds)('the routing decision kept with a report on %s', (kind) => {
  let database: TestDatabase;
  const cipher = testCipher();
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => database.dispose());

  const storedValue = async (reportId: string) => {
    const row = await database.db
      .selectFrom('report_routing')
      .select('decision_enc')
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    return cipher.decryptJson<unknown>(row.decision_enc, routingContext(reportId));
  };

  async function submitted() {
    const reports = new ReportStore({ db: database.db, cipher, router: createCaseRouter(directory) });
    const { reportId } = await reports.submitReport(heldInSihanoukville, { actor: 'test' });
    return reportId;
  }

  it('is written with its version and read back as the decision the rules took', async () => {
    const reportId = await submitted();
    const decision = routeReport(parseReportInput(heldInSihanoukville), directory);
    expect(await storedValue(reportId)).toEqual({ version: 1, decision });
    const stored = await new RoutingStore({ db: database.db, cipher }).getRouting(reportId);
    expect(stored?.decision).toEqual(decision);
    expect(stored?.decision.primary?.agencyId).toBe('kh-cnp');
  });

  it('is written with its version when staff correct it', async () => {
    const reportId = await submitted();
    const decision = decisionChosenByStaff(
      { primary: 'th-rtp', copies: ['kh-cnp'] },
      { urgent: true, withheld: false },
    );
    await correctRouting(database.db, cipher, reportId, planRouting(decision, directory), {
      actor: 'staff:1',
      at: new Date(),
    });
    expect(await storedValue(reportId)).toEqual({ version: 1, decision });
    expect((await new RoutingStore({ db: database.db, cipher }).getRouting(reportId))?.decision).toEqual(decision);
  });

  it('reads a decision stored before decisions carried a version as version 1', async () => {
    const reportId = await submitted();
    const decision = routeReport(parseReportInput(heldInSihanoukville), directory);
    // The row as it was written before: the bare decision, encrypted.
    await database.db
      .updateTable('report_routing')
      .set({ decision_enc: cipher.encryptJson(decision, routingContext(reportId)) })
      .where('report_id', '=', reportId)
      .execute();
    expect((await new RoutingStore({ db: database.db, cipher }).getRouting(reportId))?.decision).toEqual(decision);
  });
});

describe('reading a stored routing decision', () => {
  const decision = routeReport(parseReportInput(heldInSihanoukville), directory);

  it('takes version 1 and the bare decision written before versions alike', () => {
    expect(readStoredRoutingDecision({ version: 1, decision })).toEqual(decision);
    expect(readStoredRoutingDecision(decision)).toEqual(decision);
  });

  it('refuses a version it does not know and a value of no known shape, naming paths only', () => {
    expect(() => readStoredRoutingDecision({ version: 2, decision })).toThrow(UnreadableRoutingDecisionError);
    expect(() => readStoredRoutingDecision({ primary: 'kh-cnp', copies: ['kr-knpa'] })).toThrow(
      UnreadableRoutingDecisionError,
    );
    const misshapen = () =>
      readStoredRoutingDecision({ ...decision, primary: { ...decision.primary, role: 'Golden Sun' } });
    expect(misshapen).toThrow(UnreadableRoutingDecisionError);
    expect(misshapen).toThrow('decision.primary.role');
    expect(misshapen).not.toThrow(/Golden Sun/);
  });
});
