import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AmendmentError,
  ReportAmendments,
  ReportVersionConflictError,
  type AmendmentRequest,
} from '../../intake/cases/amend-report.js';
import { createAgencyDeliverySender, type DeliveryTargets } from '../../intake/delivery/agency-delivery-sender.js';
import { caseEventTypes } from '../../intake/delivery/case-event-types.js';
import { DeliveryDispatcher } from '../../intake/delivery/delivery-dispatcher.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { ReportValidationError } from '../../intake/report/validate-report.js';
import type { CaseRouter, DeliveryMethod } from '../../intake/routing/routing-plan.js';
import { RoutingStore } from '../../intake/routing/routing-store.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { IndicatorLinks } from '../../intake/store/indicator-links.js';
import { ReportFollowups } from '../../intake/store/report-followups.js';
import { contentContext, IdempotencyConflictError, ReportStore } from '../../intake/store/report-store.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { drain } from '../support/delivery-fixture.js';
import { fixedDecision } from '../support/fixed-decision.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();
const secret = 'whsec_2Yyc1qLGdq3hM9cBRHr3fYz3BQA4a2b22GaEHkqXfB0=';

/**
 * Where a case goes, for these tests: Korean nationals' cases to Korea's
 * police (by webhook and e-mail), everyone else's to Thailand's (webhook),
 * and a copy to Cambodia's (webhook) when the compound is in Cambodia.
 */
const routeByCase: CaseRouter = (content) => {
  const primary = content.victim.nationality === 'KR' ? 'kr-police' : 'th-police';
  const copies = content.suspects.compound?.country === 'KH' ? ['kh-police'] : [];
  const withheld = !content.consent.shareWithLawEnforcement;
  const methods: Record<string, DeliveryMethod[]> = {
    'kr-police': ['webhook', 'email'],
    'th-police': ['webhook'],
    'kh-police': ['webhook'],
  };
  return {
    decision: fixedDecision({ primary, copies }, { withheld }),
    withheld,
    agencies: [
      { agencyId: primary, role: 'primary' as const },
      ...copies.map((agencyId) => ({ agencyId, role: 'copy' as const })),
    ],
    deliveries: [primary, ...copies].flatMap((agencyId) =>
      (methods[agencyId] ?? []).map((method) => ({ agencyId, method })),
    ),
  };
};

/** A Korean national's report, not urgent, with no compound named yet. */
function koreanReport() {
  return {
    consent: { shareWithLawEnforcement: true, contactBack: true },
    victim: { nationality: 'KR', currentCountry: 'KH', languagesSpoken: ['ko'] },
    incident: { category: 'fake_job_compound' as const, narrative: 'A recruiter offered a job abroad.' },
    suspects: { names: ['Mr. Park'], phones: [] },
  };
}

const heldSha = 'a'.repeat(64);
const heldFile = { fileName: 'chat.png', mediaType: 'image/png', size: 1234, sha256: heldSha };

describe.each(testDatabaseKinds)('amending a report on %s', (kind) => {
  let database: TestDatabase;
  let reports: ReportStore;
  let amendments: ReportAmendments;
  let links: IndicatorLinks;
  let routing: RoutingStore;
  let followups: ReportFollowups;
  let cipher: ReturnType<typeof testCipher>;
  let nudges: number;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    cipher = testCipher();
    const holdsEvidence = (file: { sha256: string }) => file.sha256 === heldSha;
    nudges = 0;
    reports = new ReportStore({ db: database.db, cipher, router: routeByCase, holdsEvidence });
    amendments = new ReportAmendments({
      db: database.db,
      cipher,
      router: routeByCase,
      holdsEvidence,
      afterAmend: () => (nudges += 1),
    });
    links = new IndicatorLinks({ db: database.db, cipher });
    routing = new RoutingStore({ db: database.db, cipher });
    followups = new ReportFollowups({ db: database.db, cipher, holdsEvidence, amendments });
  });
  afterEach(async () => database.dispose());

  const amend = (reportId: string, changes: unknown, extra: Partial<AmendmentRequest> = {}) =>
    amendments.amend({ reportId, changes, actor: 'channel:webchat', channel: 'webchat', ...extra });
  const count = async (table: 'report_versions' | 'audit_events' | 'deliveries' | 'report_indicators') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('merges field by field: values replace, lists grow without repeats, unnamed fields keep their value', async () => {
    const submitted = await reports.submitReport(
      { ...koreanReport(), suspects: { names: ['Mr. Park'], phones: ['+855 12 345 678'] } },
      { actor: 'test' },
    );
    const result = await amend(submitted.reportId, {
      // contactBack is not named: it must stay true, not fall back to the schema's default.
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'th', coordinates: { latitude: 13.75, longitude: 100.5 } },
      suspects: { names: ['Mr. Park', 'Ms. Lee'], compound: { name: 'Golden Sun' } },
      evidence: [heldFile, { ...heldFile, fileName: 'the same file again.png' }],
    });
    expect(result.changedFields).toEqual([
      'victim.currentCountry',
      'victim.coordinates',
      'suspects.names',
      'suspects.compound.name',
      'evidence',
    ]);
    const stored = (await reports.getReportById(submitted.reportId))!.report;
    expect(stored.consent).toEqual({ shareWithLawEnforcement: true, contactBack: true });
    expect(stored.victim.nationality).toBe('KR');
    expect(stored.victim.currentCountry).toBe('TH');
    expect(stored.victim.languagesSpoken).toEqual(['ko']);
    expect(stored.suspects.names).toEqual(['Mr. Park', 'Ms. Lee']);
    expect(stored.suspects.phones).toEqual(['+855 12 345 678']);
    expect(stored.suspects.compound).toEqual({ name: 'Golden Sun' });
    expect(stored.evidence).toEqual([heldFile]);

    // A value replaced as a whole: a new latitude without its longitude is refused, not half-merged.
    await expect(amend(submitted.reportId, { victim: { coordinates: { latitude: 1 } } })).rejects.toBeInstanceOf(
      ReportValidationError,
    );
  });

  it('validates an amendment with the report schema: unknown fields and bad values by their path; a list past its limit', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const issuesOf = async (changes: unknown) => {
      const error = await amend(reportId, changes).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReportValidationError);
      return (error as ReportValidationError).issues.map((issue) => [issue.path, issue.code]);
    };
    expect(await issuesOf({ victim: { nationalty: 'KR' } })).toEqual([['victim', 'unrecognized_keys']]);
    expect(await issuesOf({ victim: { nationality: 'Korea' } })).toEqual([['victim.nationality', 'invalid_format']]);
    expect(await issuesOf({ channel: 'telegram' })).toEqual([['', 'unrecognized_keys']]);
    await amend(reportId, { suspects: { phones: Array.from({ length: 30 }, (_, i) => `+855 12 000 ${100 + i}`) } });
    expect(
      await issuesOf({ suspects: { phones: Array.from({ length: 30 }, (_, i) => `+855 12 000 ${200 + i}`) } }),
    ).toEqual([['suspects.phones', 'too_big']]);
    expect(await count('report_versions')).toBe(1);
  });

  it('keeps every version: the report as it was before each amendment, encrypted', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const first = await amend(reportId, { suspects: { phones: ['+66 81 234 5678'] } });
    const second = await amend(reportId, { victim: { currentPlace: 'Bangkok, Sukhumvit' } }, { actor: 'user:u1' });
    expect([first.version, second.version]).toEqual([1, 2]);

    const history = await amendments.history(reportId);
    expect(history.map((entry) => [entry.version, entry.actor, entry.channel, entry.changedFields])).toEqual([
      [1, 'channel:webchat', 'webchat', ['suspects.phones']],
      [2, 'user:u1', 'webchat', ['victim.currentPlace']],
    ]);
    expect(history[0]!.previous.content.suspects.phones).toEqual([]);
    expect(history[1]!.previous.content.suspects.phones).toEqual(['+66 81 234 5678']);
    expect(history[1]!.previous.content.victim.currentPlace).toBeUndefined();
    expect(history[1]!.previous.indicators.map((indicator) => indicator.value)).toContain('+66812345678');

    const rows = await database.db.selectFrom('report_versions').selectAll().execute();
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toMatch(/Sukhumvit|234 5678|2345678|Mr\. Park/);
    }
    // The history is append-only in the database itself.
    await expect(
      database.db.updateTable('report_versions').set({ actor: 'someone' }).where('report_id', '=', reportId).execute(),
    ).rejects.toThrow(/append-only/);
    expect((await reports.listAmendments(reportId)).map((entry) => [entry.version, entry.fields])).toEqual([
      [1, ['suspects.phones']],
      [2, ['victim.currentPlace']],
    ]);
  });

  it('audits each changed field by its path, never its value, in the amendment’s transaction', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    await amend(reportId, {
      victim: { currentPlace: 'Sihanoukville building B', currentCountry: 'KH' },
      suspects: { phones: ['+855 12 345 678'] },
      incident: { narrative: 'They took my passport and call from +855 98 765 432.' },
    });
    const events = (await listAuditEvents(database.db, { reportId })).filter(
      (event) => event.action !== 'report.created',
    );
    const fieldEvents = events.filter((event) => event.action === 'report.field_amended');
    // currentCountry said again with the value it had: not a change.
    expect(fieldEvents.map((event) => event.detail)).toEqual([
      { version: 1, field: 'victim.currentPlace' },
      { version: 1, field: 'incident.narrative' },
      { version: 1, field: 'suspects.phones' },
    ]);
    expect(events.find((event) => event.action === 'report.amended')?.detail).toMatchObject({
      version: 1,
      channel: 'webchat',
      fields: 3,
      indicatorsAdded: 2,
    });
    for (const event of events) {
      expect(JSON.stringify(event.detail)).not.toMatch(/Sihanoukville|passport|855|345|765/);
    }
  });

  it('leaves neither the change nor any audit event when the transaction fails after writing them', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    // The database refuses the audit event of the last changed field, after the report, its version,
    // its indicators and the earlier audit events were written in the same transaction.
    if (database.kind === 'postgres') {
      await sql`create function refuse_place_audit() returns trigger language plpgsql as $$
        begin if new.detail like '%suspects.phones%' then raise exception 'refused'; end if; return new; end $$`.execute(
        database.db,
      );
      await sql`create trigger refuse_place_audit before insert on audit_events
        for each row execute function refuse_place_audit()`.execute(database.db);
    } else {
      await sql`create trigger refuse_place_audit before insert on audit_events
        when new.detail like '%suspects.phones%' begin select raise(abort, 'refused'); end`.execute(database.db);
    }
    const before = {
      audit: await count('audit_events'),
      indicators: await count('report_indicators'),
      deliveries: await count('deliveries'),
    };
    await expect(
      amend(reportId, { victim: { currentPlace: 'Bangkok' }, suspects: { phones: ['+66 81 234 5678'] } }),
    ).rejects.toThrow(/refused/);
    expect(await count('audit_events')).toBe(before.audit);
    expect(await count('report_versions')).toBe(0);
    expect(await count('report_indicators')).toBe(before.indicators);
    expect(await count('deliveries')).toBe(before.deliveries);
    const stored = (await reports.getReportById(reportId))!;
    expect(stored.report.victim.currentPlace).toBeUndefined();
    expect(stored.report.suspects.phones).toEqual([]);
    expect(nudges).toBe(0);
  });

  it('re-extracts indicators from the new text and links the report to an older one sharing a number', async () => {
    const older = await reports.submitReport(
      { ...koreanReport(), suspects: { names: [], phones: ['+855 12 345 678'] } },
      { actor: 'test' },
    );
    const newer = await reports.submitReport(koreanReport(), { actor: 'test' });
    expect(await links.linkedReports(newer.reportId)).toEqual([]);

    const result = await amend(newer.reportId, {
      incident: { narrative: 'The recruiter called me from 012 345 678 and asked for money.' },
    });
    expect(result.newlyLinked).toBe(1);
    const linked = await links.linkedReports(newer.reportId);
    expect(linked.map((entry) => [entry.reference, entry.shared])).toEqual([
      [older.reference, [{ kind: 'phone', value: '+85512345678' }]],
    ]);
    // The blind index finds the amended report by the number, and the older one links back.
    expect((await links.reportsCarrying('phone', '+85512345678')).map((entry) => entry.reportId)).toEqual([
      older.reportId,
      newer.reportId,
    ]);
    expect((await links.linkedReports(older.reportId)).map((entry) => entry.reportId)).toEqual([newer.reportId]);

    // Corrected away, the number no longer links the reports.
    await amend(newer.reportId, { incident: { narrative: 'The recruiter wrote to me on Telegram.' } });
    expect(await links.linkedReports(newer.reportId)).toEqual([]);
    expect((await reports.getReportById(newer.reportId))!.indicators.map((item) => item.value)).not.toContain(
      '+85512345678',
    );
  });

  it('re-routes: a newly due agency joins and receives the case, the agency already routed receives case.updated', async () => {
    const korea = await startWebhookReceiver(secret);
    const cambodia = await startWebhookReceiver(secret);
    const smtp = await startSmtpReceiver();
    const transport = nodemailer.createTransport(smtp.url);
    const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
    const webhooks: Record<string, string> = { 'kr-police': korea.url, 'kh-police': cambodia.url };
    const targets: DeliveryTargets = {
      webhook: (agencyId) => (webhooks[agencyId] ? { url: webhooks[agencyId], secret } : undefined),
      email: (agencyId) => (agencyId === 'kr-police' ? { to: ['cyber-desk@police.example'] } : undefined),
      language: () => 'en',
    };
    const dispatcher = new DeliveryDispatcher({
      db: database.db,
      send: createAgencyDeliverySender({
        sources: { reports, links, routing },
        targets,
        i18n,
        mail: { transport, from: 'Reportline <cases@reportline.example>' },
        publicBaseUrl: 'https://report.example.org',
      }),
      baseDelayMs: 10,
      maxDelayMs: 40,
    });
    try {
      const { reportId, reference } = await reports.submitReport(koreanReport(), { actor: 'test' });
      await drain(dispatcher, database);
      expect(korea.accepted).toHaveLength(1);
      expect(smtp.messages).toHaveLength(1);

      const result = await amend(reportId, {
        suspects: { compound: { name: 'Golden Sun', country: 'KH' } },
      });
      expect(result.routing).toEqual({
        added: ['kh-police'],
        updated: ['kr-police'],
        noLongerDue: [],
        dueAfterCorrection: [],
      });
      expect(nudges).toBe(1);
      expect((await routing.getRouting(reportId))!.agencies).toEqual([
        { agencyId: 'kr-police', role: 'primary' },
        { agencyId: 'kh-police', role: 'copy' },
      ]);
      expect(
        (await routing.listDeliveries(reportId)).map((delivery) => [
          delivery.agencyId,
          delivery.method,
          delivery.status,
        ]),
      ).toEqual([
        ['kr-police', 'email', 'delivered'],
        ['kr-police', 'webhook', 'delivered'],
        ['kh-police', 'webhook', 'pending'],
        ['kr-police', 'email', 'pending'],
        ['kr-police', 'webhook', 'pending'],
      ]);
      await drain(dispatcher, database);

      // Both webhooks passed the receivers' own Standard Webhooks verification.
      expect([...korea.refused, ...cambodia.refused]).toEqual([]);
      const joined = JSON.parse(cambodia.accepted[0]!.body) as { type: string; data: { role: string } };
      expect(cambodia.accepted).toHaveLength(1);
      expect([joined.type, joined.data.role]).toEqual([caseEventTypes.routed, 'copy']);

      expect(korea.accepted).toHaveLength(2);
      const update = korea.accepted[1]!;
      const body = JSON.parse(update.body) as {
        type: string;
        timestamp: string;
        data: { reference: string; report: { suspects: { compound: { country: string } } }; amendments: unknown };
      };
      expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data']);
      expect(body.type).toBe(caseEventTypes.updated);
      expect(body.data.reference).toBe(reference);
      expect(body.data.report.suspects.compound.country).toBe('KH');
      expect(body.data.amendments).toEqual([
        { version: 1, amendedAt: body.timestamp, fields: ['suspects.compound.name', 'suspects.compound.country'] },
      ]);
      // A new event: its own webhook-id, not the first delivery's.
      expect(update.eventId).not.toBe(korea.accepted[0]!.eventId);
      const updateDelivery = (await routing.listDeliveries(reportId)).find(
        (delivery) => delivery.id === update.eventId,
      );
      expect(updateDelivery).toMatchObject({ agencyId: 'kr-police', method: 'webhook', status: 'delivered' });

      // The e-mail says the case was updated (its key, rendered), and still no personal data.
      expect(smtp.messages).toHaveLength(2);
      const t = i18n.getFixedT('en', 'delivery');
      const mail = smtp.messages[1]!.raw.replace(/=\r?\n/g, '');
      expect(mail).toContain(
        t('email.subjectUpdated', { reference, category: t('categories.fake_job_compound') }).slice(0, 40),
      );
      expect(mail).not.toContain('Golden Sun');
    } finally {
      transport.close();
      await Promise.all([korea.close(), cambodia.close(), smtp.close()]);
    }
  });

  it('never takes an agency off the case: one no longer due is kept, flagged for staff, and still updated', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    await database.db
      .updateTable('deliveries')
      .set({ status: 'delivered' })
      .where('report_id', '=', reportId)
      .execute();

    // The victim turns out to be Thai: Thailand's police are now due; Korea's stay on the case.
    const result = await amend(reportId, { victim: { nationality: 'TH' } });
    expect(result.routing).toEqual({
      added: ['th-police'],
      updated: ['kr-police'],
      noLongerDue: ['kr-police'],
      dueAfterCorrection: [],
    });
    expect((await routing.getRouting(reportId))!.agencies).toEqual([
      { agencyId: 'kr-police', role: 'primary' },
      // One primary per case: the newly due one joins as a copy, and staff decide.
      { agencyId: 'th-police', role: 'copy' },
    ]);
    const flags = (await listAuditEvents(database.db, { reportId })).filter((event) =>
      event.action.startsWith('routing.'),
    );
    expect(flags.map((event) => [event.action, event.detail])).toEqual([
      ['routing.agency_added', { version: 1, agencyId: 'th-police', role: 'copy' }],
      ['routing.agency_no_longer_due', { version: 1, agencyId: 'kr-police' }],
    ]);
    const pending = (await routing.listDeliveries(reportId)).filter((delivery) => delivery.status === 'pending');
    expect(pending.map((delivery) => [delivery.agencyId, delivery.method])).toEqual([
      ['kr-police', 'email'],
      ['kr-police', 'webhook'],
      ['th-police', 'webhook'],
    ]);
  });

  it('adds nothing beside a delivery still waiting in the outbox: it is built from the amended case when sent', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const result = await amend(reportId, { victim: { currentPlace: 'Bavet' } });
    expect(result.routing.updated).toEqual([]);
    expect(await count('deliveries')).toBe(2);
    expect(nudges).toBe(0);
  });

  it('changes nothing twice for a redelivered amendment, and refuses its key for another amendment', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    await database.db
      .updateTable('deliveries')
      .set({ status: 'delivered' })
      .where('report_id', '=', reportId)
      .execute();
    const idempotency = { scope: 'webchat:conversation-1', key: 'turn-7' };
    const changes = { suspects: { phones: ['+66 81 234 5678'] } };
    const first = await amend(reportId, changes, { idempotency });
    const counts = {
      versions: await count('report_versions'),
      audit: await count('audit_events'),
      deliveries: await count('deliveries'),
    };
    const again = await amend(reportId, changes, { idempotency });
    expect(again).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    expect({
      versions: await count('report_versions'),
      audit: await count('audit_events'),
      deliveries: await count('deliveries'),
    }).toEqual(counts);
    await expect(
      amend(reportId, { suspects: { phones: ['+66 81 999 0000'] } }, { idempotency }),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    // Redelivered at the same moment: one amendment, one answer for both.
    const racing = { scope: 'webchat:conversation-1', key: 'turn-8' };
    const [a, b] = await Promise.all([
      amend(reportId, { victim: { currentPlace: 'Poipet' } }, { idempotency: racing }),
      amend(reportId, { victim: { currentPlace: 'Poipet' } }, { idempotency: racing }),
    ]);
    expect(a.version).toBe(2);
    expect(b.version).toBe(2);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await count('report_versions')).toBe(2);
  });

  it('refuses an amendment made on a version that is no longer the latest, with a stable code', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const results = await Promise.allSettled([
      amend(reportId, { victim: { currentPlace: 'Poipet' } }, { expectedVersion: 0 }),
      amend(reportId, { victim: { currentPlace: 'Bavet' } }, { expectedVersion: 0 }),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ReportVersionConflictError);
    expect(rejected[0]!.reason).toMatchObject({
      code: 'report.version_conflict',
      expectedVersion: 0,
      currentVersion: 1,
    });
    expect(await count('report_versions')).toBe(1);

    // Without an expected version, concurrent amendments both land, one after the other.
    const [x, y] = await Promise.all([
      amend(reportId, { suspects: { names: ['Ms. Lee'] } }),
      amend(reportId, { suspects: { names: ['Mr. Choi'] } }),
    ]);
    expect([x.version, y.version].sort()).toEqual([2, 3]);
    expect((await reports.getReportById(reportId))!.report.suspects.names.sort()).toEqual([
      'Mr. Choi',
      'Mr. Park',
      'Ms. Lee',
    ]);
  });

  it('refuses evidence the server does not hold, and stores nothing', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const error = await amend(reportId, {
      victim: { currentPlace: 'Poipet' },
      evidence: [heldFile, { ...heldFile, sha256: 'b'.repeat(64) }],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportValidationError);
    expect((error as ReportValidationError).issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['evidence.1', 'evidence_not_held'],
    ]);
    expect(await count('report_versions')).toBe(0);
    expect((await reports.getReportById(reportId))!.report.victim.currentPlace).toBeUndefined();
  });

  it('stores nothing for an amendment that says only what the report says, and refuses a withdrawal of consent', async () => {
    const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
    const audit = await count('audit_events');
    const same = await amend(reportId, { victim: { nationality: 'kr' }, suspects: { names: ['Mr. Park'] } });
    expect([same.version, same.changedFields]).toEqual([0, []]);
    expect(await count('audit_events')).toBe(audit);

    await expect(amend(reportId, { consent: { shareWithLawEnforcement: false } })).rejects.toMatchObject({
      code: 'report.consent_withdrawal',
    });
    await expect(amend('no-such-report', { victim: { currentPlace: 'Poipet' } })).rejects.toBeInstanceOf(
      AmendmentError,
    );
  });

  it('delivers a case to its agencies once consent is given by an amendment', async () => {
    const { reportId } = await reports.submitReport(
      { ...koreanReport(), consent: { shareWithLawEnforcement: false } },
      { actor: 'test' },
    );
    expect(await count('deliveries')).toBe(0);
    const result = await amend(reportId, { consent: { shareWithLawEnforcement: true } });
    expect(result.routing.added).toEqual([]);
    expect((await routing.getRouting(reportId))!.withheld).toBe(false);
    expect(
      (await routing.listDeliveries(reportId)).map((delivery) => [delivery.agencyId, delivery.method, delivery.status]),
    ).toEqual([
      ['kr-police', 'email', 'pending'],
      ['kr-police', 'webhook', 'pending'],
    ]);
  });

  describe('an addition from the reporter (/add, the web chat, the status page)', () => {
    const markDelivered = (reportId: string) =>
      database.db.updateTable('deliveries').set({ status: 'delivered' }).where('report_id', '=', reportId).execute();
    const add = (
      reportId: string,
      text: string | undefined,
      extra: { key?: string; evidence?: (typeof heldFile)[] } = {},
    ) =>
      followups.addToReport(reportId, {
        ...(text !== undefined ? { text } : {}),
        evidence: extra.evidence ?? [],
        channel: 'telegram',
        actor: 'channel:telegram',
        ...(extra.key ? { idempotency: { scope: 'telegram:42', key: extra.key } } : {}),
      });
    const updateEvents = (reportId: string) =>
      database.db
        .selectFrom('delivery_events')
        .innerJoin('deliveries', 'deliveries.id', 'delivery_events.delivery_id')
        .select(['deliveries.agency_id', 'deliveries.method', 'delivery_events.event_type'])
        .where('deliveries.report_id', '=', reportId)
        .orderBy('deliveries.agency_id')
        .orderBy('deliveries.method')
        .execute();

    it('keeps the text as typed and reads what it mentions into the report with its country: indexed, linked, routed', async () => {
      const older = await reports.submitReport(
        { ...koreanReport(), suspects: { names: [], phones: ['+855 12 345 678'] } },
        { actor: 'test' },
      );
      // The reporter is in Cambodia (KH): a local number in the addition is a Cambodian one.
      const { reportId, reference } = await reports.submitReport(koreanReport(), { actor: 'test' });
      await markDelivered(reportId);
      const typed = 'Hùng called me again from 012 345 678, and asked me to write to pay@golden-sun.example';
      await add(reportId, typed, { key: 'update-1001' });

      expect((await followups.listAdditions(reportId)).map((addition) => addition.text)).toEqual([typed]);
      const stored = (await reports.getReportById(reportId))!;
      expect(stored.report.suspects.phones).toEqual(['+85512345678']);
      expect(stored.report.suspects.emails).toEqual(['pay@golden-sun.example']);
      // The story is the reporter's and stays as it was; the text is their addition.
      expect(stored.report.incident.narrative).toBe(koreanReport().incident.narrative);
      expect(stored.indicators.map((indicator) => [indicator.kind, indicator.value])).toEqual(
        expect.arrayContaining([
          ['phone', '+85512345678'],
          ['email', 'pay@golden-sun.example'],
        ]),
      );
      // Found by the blind index (staff search) and linked to the older report with the same number.
      expect((await links.reportsCarrying('phone', '+85512345678')).map((entry) => entry.reportId)).toEqual([
        older.reportId,
        reportId,
      ]);
      expect((await links.linkedReports(reportId)).map((entry) => entry.reference)).toEqual([older.reference]);
      // The agency already on the case is told, by each of its means.
      expect(await updateEvents(reportId)).toEqual([
        { agency_id: 'kr-police', method: 'email', event_type: caseEventTypes.updated },
        { agency_id: 'kr-police', method: 'webhook', event_type: caseEventTypes.updated },
      ]);
      expect((await reports.listAmendments(reportId)).map((version) => version.fields)).toEqual([
        ['suspects.phones', 'suspects.emails', 'additions'],
      ]);
      expect(nudges).toBe(1);
      expect(reference).toMatch(/^RL-/);
    });

    it('adds nothing twice when the same message is delivered again, even one whose text mentions nothing', async () => {
      const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
      await markDelivered(reportId);
      await add(reportId, 'They moved us to another building yesterday.', { key: 'update-7' });
      const before = {
        additions: (await followups.listAdditions(reportId)).length,
        versions: await count('report_versions'),
        deliveries: await count('deliveries'),
        audit: await count('audit_events'),
      };
      // Nothing to index, but it is news for the agency: a version of its own, and case.updated.
      expect(before.additions).toBe(1);
      expect((await reports.listAmendments(reportId)).map((version) => version.fields)).toEqual([['additions']]);
      expect(await updateEvents(reportId)).toHaveLength(2);

      await add(reportId, 'They moved us to another building yesterday.', { key: 'update-7' });
      await Promise.all([
        add(reportId, 'Call +855 97 765 4321', { key: 'update-8' }),
        add(reportId, 'Call +855 97 765 4321', { key: 'update-8' }),
      ]);
      expect((await followups.listAdditions(reportId)).map((addition) => addition.text)).toEqual([
        'They moved us to another building yesterday.',
        'Call +855 97 765 4321',
      ]);
      expect(await count('report_versions')).toBe(before.versions + 1);
      expect((await reports.getReportById(reportId))!.report.suspects.phones).toEqual(['+855977654321']);
    });

    it('keeps files as the addition’s evidence, and keeps the text even when the lists are full', async () => {
      const full = Array.from({ length: 50 }, (_, index) => `+855 12 000 ${String(100 + index)}`);
      const { reportId } = await reports.submitReport(
        { ...koreanReport(), suspects: { names: [], phones: full } },
        { actor: 'test' },
      );
      await add(reportId, 'One more number: +855 97 111 2222', { evidence: [heldFile] });
      const [addition] = await followups.listAdditions(reportId);
      expect(addition).toMatchObject({ text: 'One more number: +855 97 111 2222', evidence: [heldFile] });
      const stored = (await reports.getReportById(reportId))!;
      expect(stored.report.suspects.phones).toHaveLength(50);
      expect(stored.report.evidence).toEqual([]);
      await expect(add(reportId, '  ')).rejects.toMatchObject({ code: 'report.addition_empty' });
    });

    it('keeps the words of an addition to a report the rules of today no longer take whole', async () => {
      const { reportId } = await reports.submitReport(koreanReport(), { actor: 'test' });
      // Stored under older rules: more names than a list may hold now.
      const stored = (await reports.getReportById(reportId))!.report;
      const {
        id: _id,
        reference: _ref,
        status: _status,
        urgent: _urgent,
        createdAt: _c,
        updatedAt: _u,
        ...content
      } = stored;
      const older = {
        ...content,
        suspects: { ...content.suspects, names: Array.from({ length: 60 }, (_, i) => `N${i}`) },
      };
      await database.db
        .updateTable('reports')
        .set({ content_enc: cipher.encryptJson(older, contentContext(reportId)) })
        .where('id', '=', reportId)
        .execute();
      await add(reportId, 'He called again from +855 97 765 4321', { key: 'update-77' });
      expect((await followups.listAdditions(reportId)).map((addition) => addition.text)).toEqual([
        'He called again from +855 97 765 4321',
      ]);
      await add(reportId, 'He called again from +855 97 765 4321', { key: 'update-77' });
      expect(await followups.listAdditions(reportId)).toHaveLength(1);
    });
  });
});
