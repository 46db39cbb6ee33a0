import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import { lastWeeks, type DashboardPeriod } from '../../intake/dashboard/dashboard-period.js';
import {
  createDashboardReadModel,
  referenceFigures,
  type DashboardFigures,
} from '../../intake/dashboard/dashboard-read-model.js';
import type { DashboardScope } from '../../intake/dashboard/dashboard-scope.js';
import type { Database } from '../../intake/store/database.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

const weekMs = 7 * 24 * 60 * 60 * 1000;

/**
 * A handle on the same database whose every statement, once `armAfter(n)`
 * is set, runs `interlude` after the n-th statement has finished (its
 * connection given back): what another page or another instance can do
 * between two statements of a read that is not in a transaction.
 */
function pausingHandle(db: Kysely<Database>, interlude: () => Promise<void>) {
  const handle = db.withoutPlugins();
  const executor = handle.getExecutor();
  const provide = executor.provideConnection.bind(executor);
  let countdown = 0;
  let fired = 0;
  executor.provideConnection = async (consumer) => {
    const result = await provide(consumer);
    if (countdown > 0 && --countdown === 0) {
      fired += 1;
      await interlude();
    }
    return result;
  };
  let statements = 0;
  const counting = executor.provideConnection;
  return {
    db: handle,
    armAfter: (n: number) => (countdown = n),
    fired: () => fired,
    /** How many statements `read` sends through the handle (nothing run between them). */
    async count(read: () => Promise<unknown>) {
      executor.provideConnection = (consumer) => {
        statements += 1;
        return provide(consumer);
      };
      statements = 0;
      await read();
      executor.provideConnection = counting;
      return statements;
    },
  };
}

/**
 * A page of an agency reads its kept most-reported lists outside the
 * refresh, in a few statements. Between any two of them a hotline page
 * (here, or on another instance) may refresh: a write to a case the agency
 * does not see marks a week, and that refresh throws the week's values away
 * for every scope, subtracting them from every kept period, and counts the
 * week again only for the hotline. The agency's figures do not change, so
 * whatever statement the refresh comes after, the agency's page must show
 * the lists counted from scratch: never a list found complete and then read
 * without a week's reports.
 */
describe.each(testDatabaseKinds)('kept lists read while another scope refreshes (%s)', (kind) => {
  let harness: ConsoleHarness;
  let services: Services;
  let close: () => Promise<void>;
  let agency: DashboardScope;
  let outsider: string;
  const phone = '+855 12 345 678';

  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind));
    services = harness.services;
    const submit = async (country: string) =>
      (
        await harness.submit({
          consent: { shareWithLawEnforcement: true },
          channel: 'web',
          incident: { category: 'investment_crypto' },
          victim: { currentCountry: country },
          suspects: { phones: [phone], websites: ['https://kkpark-jobs.top/apply'] },
        } as never)
      ).reportId;
    const agenciesOf = async (reportId: string) =>
      (await services.db.selectFrom('report_agencies').select('agency_id').where('report_id', '=', reportId).execute())
        .map((row) => row.agency_id)
        .sort();
    const seen = [await submit('KH'), await submit('KH'), await submit('KH')];
    outsider = await submit('TH');
    const theirs = await agenciesOf(outsider);
    const only = (await agenciesOf(seen[0]!)).find((agencyId) => !theirs.includes(agencyId));
    expect(only, 'an agency that sees the Cambodian reports and not the Thai one').toBeDefined();
    agency = { kind: 'agency', agencyId: only! };
    // Every report in last week, so a past period (last week alone) holds them too.
    const lastWeek = new Date(services.now().getTime() - weekMs).toISOString();
    await services.db
      .updateTable('reports')
      .set({ created_at: lastWeek })
      .where('id', 'in', [...seen, outsider])
      .execute();
  }, 120_000);
  afterAll(async () => {
    await close?.();
  });

  const readable = (figures: DashboardFigures) => {
    const { readAt: _readAt, ...rest } = figures;
    return rest;
  };

  it('shows the lists as counted from scratch, whichever statement a refresh comes after', async () => {
    const parts = { db: services.db, cipher: services.cipher, now: services.now };
    const hotline = createDashboardReadModel(parts);
    let moved = 0;
    const handle = pausingHandle(services.db, async () => {
      // The Thai report moves within last week (it stays there): its week is marked; the hotline's page refreshes.
      moved += 1;
      const at = new Date(services.now().getTime() - weekMs + moved * 60_000).toISOString();
      await services.db.updateTable('reports').set({ created_at: at }).where('id', '=', outsider).execute();
      await hotline.figures({ kind: 'hotline' }, period);
    });
    const agencyPage = createDashboardReadModel({ ...parts, db: handle.db });
    const now = services.now();
    let period: DashboardPeriod = lastWeeks(now, 2);
    const periods: Array<[string, DashboardPeriod]> = [
      ['kept (ending this week)', lastWeeks(now, 2)],
      ['past (last week)', lastWeeks(new Date(now.getTime() - weekMs), 1)],
    ];
    for (const [name, chosen] of periods) {
      period = chosen;
      const expected = readable(await referenceFigures(parts, agency, period));
      expect(expected.mostReported.length, 'the lists show the phone and the site').toBe(2);
      // Both scopes' figures kept, so the agency's page reads them without a refresh.
      const keptRead = async () => {
        await hotline.figures({ kind: 'hotline' }, period);
        await hotline.figures(agency, period);
      };
      await keptRead();
      const statements = await handle.count(() => agencyPage.figures(agency, period));
      expect(statements, 'a read of kept figures sends a few statements').toBeGreaterThan(2);
      for (let after = 1; after < statements; after += 1) {
        await keptRead();
        handle.armAfter(after);
        const shown = readable(await agencyPage.figures(agency, period));
        expect(shown, `${name}: a refresh after statement ${after} of ${statements}`).toEqual(expected);
      }
      expect(handle.fired()).toBeGreaterThan(0);
    }
  }, 120_000);
});
