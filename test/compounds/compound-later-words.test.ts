import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { systemClock } from '../../intake/clock.js';
import { CompoundMatcher } from '../../intake/compounds/compound-matcher.js';
import { createCompoundUseCases, type CompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import { additionContext } from '../../intake/store/report-followups.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';
import { compoundForm, reportNamingNoCompound } from './compound-test-inputs.js';

warnIfPostgresSkipped();

const staff: CaseActor = { auditId: 'user:staff-1', role: 'hotline' };
const kkPark = { latitude: 16.7416, longitude: 98.5325 };

describe.each(testDatabaseKinds)('compounds found in what a reporter says later (%s)', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let compounds: CompoundUseCases;
  const logger = recordingLogger();
  let kkParkId = '';
  /** A matcher as a fresh start of the server opens it: nothing of the earlier one in memory. */
  const freshMatcher = () =>
    new CompoundMatcher({ db: services.db, cipher: services.cipher, links: services.links, now: systemClock });
  const proposalsOf = async (reportId: string) =>
    (await compounds.ofCase(staff, reportId)).map((entry) => ({
      compoundId: entry.compoundId,
      state: entry.state,
      reason: entry.reason,
    }));
  const store = async (narrative: string) =>
    services.reports.submitReport(reportNamingNoCompound(narrative), { actor: 'token:api' });
  const add = (reportId: string, text: string) =>
    services.followups.addToReport(reportId, { text, channel: 'web', actor: 'reporter:web' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await openTestServices(database, { logger });
    compounds = createCompoundUseCases({
      db: services.db,
      cipher: services.cipher,
      now: systemClock,
      links: services.links,
    });
    kkParkId = (
      await compounds.add(
        staff,
        compoundForm({
          name: 'KK Park',
          aliases: 'เคเคปาร์ค',
          latitude: String(kkPark.latitude),
          longitude: String(kkPark.longitude),
        }),
      )
    ).id;
    await services.compoundMatcher.runOnce();
  });
  afterAll(async () => {
    await services?.close();
    await database?.dispose();
  });

  it('proposes a compound a reporter names in an addition ("they moved us to KK Park"), once', async () => {
    const { reportId } = await store('They drove us across the river at night. I do not know where we are.');
    await services.compoundMatcher.runOnce();
    expect(await proposalsOf(reportId)).toEqual([]);
    await add(reportId, 'They moved us to KK Park yesterday, building 4.');
    await freshMatcher().runOnce();
    expect(await proposalsOf(reportId)).toEqual([{ compoundId: kkParkId, state: 'proposed', reason: 'name' }]);
    const [proposal] = await compounds.ofCase(staff, reportId);
    expect(proposal!.detail.name).toBe('KK Park');
    // Another addition, a restart, another round: nothing twice.
    await add(reportId, 'Still at KK Park.');
    expect(await freshMatcher().runOnce()).toBe(0);
    const proposed = await services.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'compound.proposed')
      .where('report_id', '=', reportId)
      .execute();
    expect(proposed).toHaveLength(1);
  });

  it('proposes a compound for a location the reporter shares in an amendment', async () => {
    const { reportId } = await store('I am locked in a room with twenty others.');
    await services.compoundMatcher.runOnce();
    await services.amendments.amend({
      reportId,
      changes: { victim: { coordinates: { latitude: kkPark.latitude + 0.002, longitude: kkPark.longitude } } },
      actor: 'channel:line',
      channel: 'line',
    });
    await services.compoundMatcher.runOnce();
    expect(await proposalsOf(reportId)).toEqual([{ compoundId: kkParkId, state: 'proposed', reason: 'location' }]);
  });

  it('matches the words reporters added before against a compound or an alias staff add later; a rejection stands', async () => {
    const { reportId } = await store('A broker took our passports in Mae Sot.');
    await add(reportId, 'Now we are at Huanya, near the river.');
    const other = await store('My brother calls from a compound.');
    await add(other.reportId, 'He says the place is called Huanya.');
    await services.compoundMatcher.runOnce();
    expect(await proposalsOf(reportId)).toEqual([]);

    // Staff learn the other name of a compound in the register: the reports already stored are looked at again.
    const file = (await compounds.file(staff, kkParkId))!;
    await compounds.edit(
      staff,
      kkParkId,
      compoundForm({
        name: 'KK Park',
        aliases: 'เคเคปาร์ค\nHuanya',
        latitude: String(kkPark.latitude),
        longitude: String(kkPark.longitude),
      }),
      file.compound.updatedAt,
    );
    // The round is cut by a restart before it ran: the next start matches the compound still behind.
    expect(await freshMatcher().runOnce()).toBe(2);
    expect(await proposalsOf(reportId)).toEqual([{ compoundId: kkParkId, state: 'proposed', reason: 'name' }]);
    expect(await proposalsOf(other.reportId)).toEqual([{ compoundId: kkParkId, state: 'proposed', reason: 'name' }]);

    const { reference } = (await services.db
      .selectFrom('reports')
      .select('reference')
      .where('id', '=', other.reportId)
      .executeTakeFirstOrThrow())!;
    await compounds.decide(staff, kkParkId, reference, 'rejected');
    await add(other.reportId, 'Huanya, Huanya. Please.');
    const again = (await compounds.file(staff, kkParkId))!;
    await compounds.edit(
      staff,
      kkParkId,
      compoundForm({
        name: 'KK Park',
        aliases: 'เคเคปาร์ค\nHuanya\nHuanya International',
        latitude: String(kkPark.latitude),
        longitude: String(kkPark.longitude),
      }),
      again.compound.updatedAt,
    );
    expect(await freshMatcher().runOnce()).toBe(0);
    expect(await proposalsOf(other.reportId)).toEqual([{ compoundId: kkParkId, state: 'rejected', reason: 'name' }]);
  });

  it('an addition it cannot read is reported and passed over; the rest of the report is still matched', async () => {
    const { reportId } = await store('We are held at KK Park.');
    await services.db
      .insertInto('report_additions')
      .values({
        report_id: reportId,
        channel: 'web',
        actor: 'reporter:web',
        content_enc: testCipher().encryptJson({ text: 'other key', evidence: [] }, additionContext(reportId)),
        created_at: new Date().toISOString(),
        idempotency_scope: null,
        idempotency_key: null,
      })
      .execute();
    logger.failures.length = 0;
    await services.compoundMatcher.runOnce();
    expect(await proposalsOf(reportId)).toEqual([{ compoundId: kkParkId, state: 'proposed', reason: 'name' }]);
    expect(logger.failures).toMatchObject([{ code: 'compound.addition_unreadable' }]);
  });
});
