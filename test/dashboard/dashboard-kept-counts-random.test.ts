import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import { lastWeeks, type DashboardPeriod } from '../../intake/dashboard/dashboard-period.js';
import {
  createDashboardReadModel,
  referenceFigures,
  type DashboardFigures,
} from '../../intake/dashboard/dashboard-read-model.js';
import type { DashboardScope } from '../../intake/dashboard/dashboard-scope.js';
import { countedDeskCounts, deskCounts } from '../../intake/urgent/duty-desk-counts.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { compoundRow } from './dashboard-fixture.js';

warnIfPostgresSkipped();

const admin: CaseActor = { auditId: 'user:test-admin', role: 'admin' };
const weekMs = 7 * 24 * 60 * 60 * 1000;

/** A small seeded generator: the same sequence of writes on every run and database (a failure can be replayed). */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

function readable(figures: DashboardFigures) {
  const { readAt: _readAt, ...rest } = figures;
  const byWeekAndKey = (a: { week: string; key: string | null }, b: { week: string; key: string | null }) =>
    a.week.localeCompare(b.week) || String(a.key).localeCompare(String(b.key));
  return {
    ...rest,
    reportsByCategory: [...rest.reportsByCategory].sort(byWeekAndKey),
    reportsByCountry: [...rest.reportsByCountry].sort(byWeekAndKey),
    reportsByChannel: [...rest.reportsByChannel].sort(byWeekAndKey),
    urgentReports: [...rest.urgentReports].sort((a, b) => a.week.localeCompare(b.week)),
  };
}

/**
 * The kept counts (the lists per period, "people held now" per scope and
 * compound, the duty desk) against the same figures counted from scratch,
 * after each write of a random sequence: reports submitted, amended (what
 * they name, their urgency, their country and so their routing), moved to
 * another week, routed again, confirmed on a compound or taken off it,
 * closed and reopened, withdrawn, their clocks taken, alerted and
 * escalated, and rows of theirs deleted as retention does. Read for every
 * scope and for two periods, one ending this week (kept) and one past.
 */
describe.each(testDatabaseKinds)('kept counts after a random sequence of writes (%s)', (kind) => {
  let harness: ConsoleHarness;
  let services: Services;
  let close: () => Promise<void>;
  const reports: Array<{ id: string; reference: string }> = [];
  const phones = ['+855 12 345 678', '+855 98 765 432', '+66 81 234 5678', '+855 11 222 333'];
  const sites = ['https://kkpark-jobs.top/apply', 'https://easy-work.top/job', 'https://shwe-jobs.top/'];
  const countries = ['KH', 'TH', 'MM', 'LA'];
  const categories = ['investment_crypto', 'romance', 'fake_job_compound', 'other'];
  const random = seeded(18);
  /** What the sequence reached on the way: someone held on a compound, an urgent case waiting. */
  const seen = { held: false, waiting: false };

  const parts = () => ({
    db: services.db,
    cipher: services.cipher,
    now: services.now,
    ignoredIndicators: services.config.ignoredIndicators,
  });
  async function scopes(): Promise<DashboardScope[]> {
    const agencies = await services.db.selectFrom('report_agencies').select('agency_id').distinct().execute();
    return [
      { kind: 'hotline' },
      ...agencies
        .map((row) => ({ kind: 'agency' as const, agencyId: row.agency_id }))
        .sort((a, b) => a.agencyId.localeCompare(b.agencyId)),
    ];
  }
  async function expectKeptEqualFromScratch(dashboard: ReturnType<typeof createDashboardReadModel>, after: string) {
    const now = services.now();
    const periods: DashboardPeriod[] = [
      lastWeeks(now, 6),
      { from: lastWeeks(now, 6).from, to: lastWeeks(new Date(now.getTime() - 2 * weekMs), 1).to },
    ];
    for (const period of periods)
      for (const scope of await scopes()) {
        const kept = readable(await dashboard.figures(scope, period));
        const fromScratch = readable(await referenceFigures(parts(), scope, period));
        const name = `${after}, ${scope.kind === 'agency' ? scope.agencyId : 'hotline'}, ${period.from}–${period.to}`;
        expect(kept, name).toEqual(fromScratch);
        if (kept.compounds.length > 0) seen.held = true;
      }
    const desk = await deskCounts(services.db);
    expect(desk, `${after}, duty desk`).toEqual(await countedDeskCounts(services.db));
    if (desk.waiting > 0) seen.waiting = true;
  }
  async function submit(urgent = random.below(3) === 0) {
    const stored = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      channel: random.pick(['web', 'telegram', 'line']),
      ...(urgent ? { safety: { heldAgainstWill: true } } : {}),
      incident: { category: random.pick(categories) },
      victim: { currentCountry: random.pick(countries) },
      suspects: { phones: [random.pick(phones)], websites: [random.pick(sites)] },
    } as never);
    reports.push({ id: stored.reportId, reference: stored.reference });
    return stored;
  }
  const anyReport = () => random.pick(reports);
  const compoundIds = ['cmp-one', 'cmp-two'];

  const writes: Array<[string, () => Promise<unknown>]> = [
    ['a report submitted', () => submit()],
    [
      'a report moved to another week',
      async () => {
        const at = new Date(services.now().getTime() - random.below(8) * weekMs).toISOString();
        await services.db.updateTable('reports').set({ created_at: at }).where('id', '=', anyReport().id).execute();
      },
    ],
    [
      'what a report names amended',
      () =>
        services.amendments.amend({
          reportId: anyReport().id,
          changes: { suspects: { phones: [random.pick(phones)] } },
          actor: 'channel:web',
          channel: 'web',
        } as never),
    ],
    [
      'a report made urgent by amendment',
      () =>
        services.amendments.amend({
          reportId: anyReport().id,
          changes: { safety: { heldAgainstWill: true } },
          actor: 'channel:web',
          channel: 'web',
        } as never),
    ],
    [
      'a report moved to another country (routed again)',
      () =>
        services.amendments.amend({
          reportId: anyReport().id,
          changes: { victim: { currentCountry: random.pick(countries) } },
          actor: 'channel:web',
          channel: 'web',
        } as never),
    ],
    [
      'a routing corrected',
      () =>
        harness.cases.correctRouting(admin, anyReport().reference, {
          primary: random.pick(['kh-cnp', 'th-rtp']),
          copies: random.below(2) ? ['interpol'] : [],
          reason: 'Corrected.',
        }),
    ],
    [
      'an urgent case put on a compound, or its proposal decided',
      async () => {
        const urgent = await services.db.selectFrom('reports').select('id').where('urgent', '=', 1).execute();
        const reportId = urgent.length > 0 ? random.pick(urgent).id : anyReport().id;
        const state = random.pick(['confirmed', 'confirmed', 'proposed', 'rejected']);
        await sql`insert into compound_cases (compound_id, report_id, state, reason, detail, proposed_at)
          values (${random.pick(compoundIds)}, ${reportId}, ${state}, 'name', '{}', ${services.now().toISOString()})
          on conflict (compound_id, report_id) do update set state = excluded.state`.execute(services.db);
      },
    ],
    [
      'a case taken off its compounds',
      () => services.db.deleteFrom('compound_cases').where('report_id', '=', anyReport().id).execute(),
    ],
    [
      'a case closed',
      () => harness.cases.changeStatus(admin, anyReport().reference, { status: 'closed' }).catch(() => undefined),
    ],
    [
      'a case reopened',
      () => harness.cases.changeStatus(admin, anyReport().reference, { status: 'triaging' }).catch(() => undefined),
    ],
    [
      'a report withdrawn',
      () => services.withdrawals.withdraw({ reportId: anyReport().id, actor: 'reporter:web', channel: 'web' }),
    ],
    [
      "an urgent case's clock taken, alerted or escalated",
      async () => {
        const at = services.now().toISOString();
        const column = random.pick([
          'hotline_acknowledged_at',
          'supervisor_alerted_at',
          'escalated_at',
          'agency_accepted_at',
        ] as const);
        await services.db
          .updateTable('urgent_clocks')
          .set({ [column]: random.below(4) === 0 ? null : at })
          .where('report_id', '=', anyReport().id)
          .execute();
      },
    ],
    [
      "a report's rows deleted (retention)",
      async () => {
        const table = random.pick(['report_indicators', 'report_agencies', 'urgent_clocks', 'compound_cases'] as const);
        await services.db.deleteFrom(table).where('report_id', '=', anyReport().id).execute();
      },
    ],
    [
      'two cases linked by hand',
      () =>
        harness.cases
          .setLink(admin, anyReport().reference, anyReport().reference, random.below(2) ? 'linked' : 'unlinked')
          .catch(() => undefined),
    ],
  ];

  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind));
    services = harness.services;
    const at = services.now().toISOString();
    await services.db
      .insertInto('compounds')
      .values(compoundIds.map((id, index) => compoundRow({ id, name: `Compound ${index}`, at, by: 'test' })))
      .execute();
    // Someone held on a compound from the start (the writes then take them off, close, withdraw, route).
    const held = await submit(true);
    await sql`insert into compound_cases (compound_id, report_id, state, reason, detail, proposed_at)
      values ('cmp-one', ${held.reportId}, 'confirmed', 'name', '{}', ${at})`.execute(services.db);
    for (let index = 0; index < 7; index += 1) await submit();
  }, 120_000);
  afterAll(async () => {
    await close?.();
  });

  it('equal the counts from scratch after every write', async () => {
    const dashboard = createDashboardReadModel(parts());
    await expectKeptEqualFromScratch(dashboard, 'first read');
    // Every kind of write once (so each is compared at least once), then a random sequence of them.
    const sequence = [...writes, ...writes, ...Array.from({ length: 30 }, () => random.pick(writes))];
    for (const [step, [what, write]] of sequence.entries()) {
      await write();
      // Now and then two writes between reads: a refresh then takes the marks of both at once.
      if (step >= writes.length && random.below(4) === 0) continue;
      await expectKeptEqualFromScratch(dashboard, `step ${step}: ${what}`);
    }
    // A read model started afresh (another process) reads the same kept counts.
    await expectKeptEqualFromScratch(createDashboardReadModel(parts()), 'another reader');
    // The sequence reached what it was meant to compare: people held somewhere, an urgent case waiting.
    expect(seen).toEqual({ held: true, waiting: true });
  }, 300_000);
});
