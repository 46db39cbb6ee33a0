import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { systemClock } from '../../intake/clock.js';
import { createCompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import { lastWeeks, type DashboardPeriod } from '../../intake/dashboard/dashboard-period.js';
import {
  createDashboardReadModel,
  referenceFigures,
  type DashboardFigures,
} from '../../intake/dashboard/dashboard-read-model.js';
import type { DashboardScope } from '../../intake/dashboard/dashboard-scope.js';
import { createUrgentCases } from '../../intake/urgent/urgent-cases.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { compoundForm } from '../compounds/compound-test-inputs.js';

warnIfPostgresSkipped();

const admin: CaseActor = { auditId: 'user:test-admin', role: 'admin' };
const weekMs = 7 * 24 * 60 * 60 * 1000;

/** What a person reads of the figures (the time they were read left out), the weekly cells in one order. */
function readable(figures: DashboardFigures) {
  const { readAt: _readAt, ...rest } = figures;
  const byWeekAndKey = (a: { week: string; key: string | null }, b: { week: string; key: string | null }) =>
    a.week.localeCompare(b.week) || String(a.key).localeCompare(String(b.key));
  return {
    ...rest,
    reportsByCategory: [...rest.reportsByCategory].sort(byWeekAndKey),
    reportsByCountry: [...rest.reportsByCountry].sort(byWeekAndKey),
    reportsByChannel: [...rest.reportsByChannel].sort(byWeekAndKey),
  };
}

/**
 * The kept weeks (migration 0030's marks, `week-figures-cache.ts`) against
 * the figures counted from scratch, after every kind of write that changes a
 * figure. The kept figures are read before each write, so each comparison is
 * of weeks kept across that write: a write whose marks were missing would
 * leave a kept week stale and the two would differ.
 */
describe.each(testDatabaseKinds)('the kept weekly figures after every kind of write (%s)', (kind) => {
  let harness: ConsoleHarness;
  let services: Services;
  let close: () => Promise<void>;
  let period: DashboardPeriod;
  let dashboard: ReturnType<typeof createDashboardReadModel>;
  const references = new Map<string, string>();
  const ids = new Map<string, string>();

  const parts = () => ({
    db: services.db,
    cipher: services.cipher,
    now: services.now,
    ignoredIndicators: services.config.ignoredIndicators,
  });
  /** The hotline and every agency a report of the fixture is routed to. */
  async function scopes(): Promise<DashboardScope[]> {
    const agencies = await services.db.selectFrom('report_agencies').select('agency_id').distinct().execute();
    return [
      { kind: 'hotline' },
      ...agencies
        .map((row) => ({ kind: 'agency' as const, agencyId: row.agency_id }))
        .sort((a, b) => a.agencyId.localeCompare(b.agencyId)),
    ];
  }
  /** Reads the kept figures of every scope (so they are kept), then checks them against the reference. */
  async function expectKeptEqualFromScratch(after: string) {
    for (const scope of await scopes()) {
      const kept = readable(await dashboard.figures(scope, period));
      const fromScratch = readable(await referenceFigures(parts(), scope, period));
      expect(kept, `${after}, ${scope.kind === 'agency' ? scope.agencyId : 'hotline'}`).toEqual(fromScratch);
    }
  }
  /** Moves a stored report into an earlier week of the period, as the store would have stamped it then. */
  async function moveToWeeksAgo(name: string, weeks: number) {
    const at = new Date(services.now().getTime() - weeks * weekMs).toISOString();
    await services.db
      .updateTable('reports')
      .set({ created_at: at, updated_at: at })
      .where('id', '=', ids.get(name)!)
      .execute();
  }
  async function submit(name: string, input: Record<string, unknown>) {
    const stored = await harness.submit({ consent: { shareWithLawEnforcement: true }, ...input } as never);
    ids.set(name, stored.reportId);
    references.set(name, stored.reference);
  }

  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind));
    services = harness.services;
    period = lastWeeks(services.now(), 6);
    dashboard = createDashboardReadModel(parts());
    await submit('crypto', {
      channel: 'web',
      incident: { category: 'investment_crypto' },
      victim: { currentCountry: 'KH' },
      suspects: { phones: ['+855 12 345 678'] },
    });
    await submit('romance', {
      channel: 'telegram',
      incident: { category: 'romance' },
      victim: { currentCountry: 'TH' },
      suspects: { websites: ['https://kkpark-jobs.top/apply'] },
    });
    await submit('held', {
      channel: 'line',
      safety: { heldAgainstWill: true },
      incident: { category: 'fake_job_compound', narrative: 'I am held at KK Park, they took my passport.' },
      victim: { currentCountry: 'MM' },
      suspects: { websites: ['https://kkpark-jobs.top/apply'] },
    });
    await submit('quiet', {
      channel: 'web',
      incident: { category: 'other' },
      victim: { currentCountry: 'KH' },
      suspects: { phones: ['+855 98 765 432'] },
    });
    await moveToWeeksAgo('crypto', 4);
    await moveToWeeksAgo('romance', 3);
    await moveToWeeksAgo('held', 2);
    await moveToWeeksAgo('quiet', 1);
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('match when first counted, and when read again with nothing changed', async () => {
    await expectKeptEqualFromScratch('first read');
    await expectKeptEqualFromScratch('second read');
  });

  it('follow a new report that shares a phone with a report of an older week', async () => {
    await expectKeptEqualFromScratch('before');
    await submit('sameNumber', {
      channel: 'api',
      incident: { category: 'investment_crypto' },
      victim: { currentCountry: 'KH' },
      suspects: { phones: ['+855 12 345 678'] },
    });
    await expectKeptEqualFromScratch('a new report');
  });

  it('follow amendments of an old report: its kind, country, urgency and what it names', async () => {
    await expectKeptEqualFromScratch('before');
    const amend = (changes: Record<string, unknown>) =>
      services.amendments.amend({
        reportId: ids.get('quiet')!,
        changes,
        actor: 'channel:web',
        channel: 'web',
      } as never);
    await amend({ incident: { category: 'sextortion' } });
    await expectKeptEqualFromScratch('category amended');
    await amend({ victim: { currentCountry: 'TH' } });
    await expectKeptEqualFromScratch('country amended (routed again)');
    await amend({ safety: { heldAgainstWill: true } });
    await expectKeptEqualFromScratch('urgent by amendment (a clock started)');
    await amend({ suspects: { websites: ['https://kkpark-jobs.top/apply'] } });
    await expectKeptEqualFromScratch('a site added that links it to two older reports');
  });

  it('follow the links staff make and undo by hand', async () => {
    await expectKeptEqualFromScratch('before');
    await harness.cases.setLink(admin, references.get('crypto')!, references.get('romance')!, 'linked');
    await expectKeptEqualFromScratch('linked by hand');
    await harness.cases.setLink(admin, references.get('crypto')!, references.get('romance')!, 'unlinked');
    await expectKeptEqualFromScratch('unlinked by hand');
  });

  it('follow an urgent case taken by the hotline, and one given to someone', async () => {
    await expectKeptEqualFromScratch('before');
    const urgent = createUrgentCases({ db: services.db, cipher: services.cipher, now: services.now });
    expect(await urgent.acknowledge(admin, references.get('held')!)).toBe('acknowledged');
    await expectKeptEqualFromScratch('acknowledged');
    const worker = await harness.account('hotline');
    await harness.cases.assign(admin, references.get('quiet')!, worker.user.id);
    await expectKeptEqualFromScratch('assigned (taken by the assignee)');
  });

  it('follow the routing: an agency added to a case counts it, and its links', async () => {
    await expectKeptEqualFromScratch('before');
    await harness.cases.correctRouting(admin, references.get('romance')!, {
      primary: 'kh-cnp',
      copies: ['interpol'],
      reason: 'She was moved to Cambodia.',
    });
    await expectKeptEqualFromScratch('routing corrected');
  });

  it('follow a case confirmed on a compound and closed ("people held now")', async () => {
    await expectKeptEqualFromScratch('before');
    const compounds = createCompoundUseCases({
      db: services.db,
      cipher: services.cipher,
      now: systemClock,
      links: services.links,
    });
    const compoundId = (await compounds.add(admin, compoundForm({ name: 'KK Park' }))).id;
    await services.compoundMatcher.runOnce();
    await compounds.decide(admin, compoundId, references.get('held')!, 'confirmed');
    const held = await dashboard.figures({ kind: 'hotline' }, period);
    expect(held.compounds.map((compound) => [compound.compoundId, compound.heldNow])).toEqual([[compoundId, 1]]);
    await expectKeptEqualFromScratch('confirmed on a compound');
    await harness.cases.changeStatus(admin, references.get('held')!, { status: 'closed' });
    await expectKeptEqualFromScratch('the held case closed');
  });

  it('follow a withdrawal, a report moved to another week, and rows of a report deleted', async () => {
    await expectKeptEqualFromScratch('before');
    expect(
      await services.withdrawals.withdraw({ reportId: ids.get('crypto')!, actor: 'reporter:web', channel: 'web' }),
    ).toEqual({ withdrawn: true, alreadyWithdrawn: false });
    await expectKeptEqualFromScratch('withdrawn');
    await moveToWeeksAgo('sameNumber', 5);
    await expectKeptEqualFromScratch('moved to an older week');
    // A report is never deleted (its audit events, append-only, name it); what is deleted is a report's rows
    // the figures read, by whatever writes them (an amendment, a routing correction, a script).
    for (const table of ['report_indicators', 'report_agencies', 'urgent_clocks'] as const) {
      await services.db.deleteFrom(table).where('report_id', '=', ids.get('quiet')!).execute();
      await expectKeptEqualFromScratch(`${table} of a report deleted`);
    }
  });

  it('follow a value common to many reports', async () => {
    const common = '+855 11 222 333';
    // Many holders: a refresh works out the weeks of every report holding the value (`takeStaleWeekParts`).
    for (let index = 0; index < 33; index += 1)
      await submit(`common-${index}`, {
        channel: 'web',
        incident: { category: 'investment_crypto' },
        victim: { currentCountry: 'KH' },
        suspects: { phones: [common] },
      });
    await expectKeptEqualFromScratch('before');
    await services.amendments.amend({
      reportId: ids.get('romance')!,
      changes: { suspects: { phones: [common] } },
      actor: 'channel:web',
      channel: 'web',
    } as never);
    await expectKeptEqualFromScratch('an old report given the common value');
    await harness.cases.correctRouting(admin, references.get('common-0')!, {
      primary: 'th-rtp',
      copies: [],
      reason: 'Routed to Thailand.',
    });
    await expectKeptEqualFromScratch('a report with the common value routed elsewhere');
  }, 60_000);

  it('would be stale without the marks: the comparison sees a kept week that was not marked', async () => {
    await expectKeptEqualFromScratch('before');
    // A write that bypasses the marks (the marks it made taken away at once): the kept figures no longer
    // follow it, and the comparison above is what tells.
    await submit('unmarked', {
      channel: 'web',
      incident: { category: 'romance' },
      victim: { currentCountry: 'TH' },
    });
    await sql`delete from dashboard_stale_weeks`.execute(services.db);
    const kept = readable(await dashboard.figures({ kind: 'hotline' }, period));
    const fromScratch = readable(await referenceFigures(parts(), { kind: 'hotline' }, period));
    expect(kept).not.toEqual(fromScratch);
  });
});
