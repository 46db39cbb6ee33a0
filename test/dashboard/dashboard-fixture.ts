import type { ConsoleHarness } from '../support/console-harness.js';

/**
 * A known fixture of reports for the dashboard, written before the dashboard
 * ran on it: seven reports through the real store, moved into the weeks of
 * September 2026 (the store stamps its own clock; the fixture sets each
 * report's `created_at` to its week), two urgent clocks acknowledged after
 * 120 s and 600 s and one not yet, and a compound with two people held.
 *
 * The period asked for is the two weeks of 7 and 14 September 2026; a report
 * of the week before (the 31 August) carries the same phone and must count
 * nowhere.
 */
export const fixturePeriod = { from: '2026-09-07', to: '2026-09-20' } as const;
export const [weekOne, weekTwo] = ['2026-09-07', '2026-09-14'] as const;
export const sharedPhone = '+855 12 345 678';
export const sharedSite = 'https://kkpark-jobs.top/apply';

const at = (day: string, time = '10:00:00') => `${day}T${time}.000Z`;

/** An active compound of the register as the staff's form stores it, with no area, place or aliases. */
export function compoundRow(row: { id: string; name: string; at: string; by: string; country?: string }) {
  return {
    id: row.id,
    name: row.name,
    country: row.country ?? 'MM',
    area: null,
    latitude: null,
    longitude: null,
    aliases: '[]',
    landmarks: '[]',
    status: 'active',
    notes: null,
    revision: 1,
    matched_revision: 1,
    created_at: row.at,
    created_by: row.by,
    updated_at: row.at,
    updated_by: row.by,
  };
}

export async function writeDashboardFixture(harness: ConsoleHarness) {
  const { services } = harness;
  const entries = [
    {
      name: 'cryptoOne',
      at: at('2026-09-08'),
      input: {
        channel: 'web',
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'investment_crypto' },
        victim: { currentCountry: 'KH' },
        suspects: { phones: [sharedPhone] },
      },
    },
    {
      name: 'cryptoTwo',
      at: at('2026-09-10'),
      input: {
        channel: 'telegram',
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'investment_crypto' },
        victim: { currentCountry: 'KH' },
        suspects: { phones: [sharedPhone] },
      },
    },
    {
      name: 'romance',
      at: at('2026-09-13', '23:59:59'),
      input: {
        channel: 'web',
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'romance' },
        victim: { currentCountry: 'TH' },
      },
    },
    {
      name: 'heldOne',
      at: at('2026-09-14', '00:00:00'),
      input: {
        channel: 'line',
        consent: { shareWithLawEnforcement: true },
        safety: { heldAgainstWill: true },
        incident: { category: 'fake_job_compound' },
        victim: { currentCountry: 'MM' },
        suspects: { websites: [sharedSite] },
      },
    },
    {
      name: 'heldTwo',
      at: at('2026-09-16'),
      input: {
        channel: 'line',
        consent: { shareWithLawEnforcement: true },
        safety: { heldAgainstWill: true },
        incident: { category: 'fake_job_compound' },
        victim: { currentCountry: 'MM' },
        suspects: { websites: [sharedSite] },
      },
    },
    {
      name: 'heldThree',
      at: at('2026-09-20', '23:00:00'),
      input: {
        channel: 'web',
        consent: { shareWithLawEnforcement: true },
        safety: { heldAgainstWill: true },
        incident: { category: 'fake_job_compound' },
        victim: { currentCountry: 'MM' },
      },
    },
    {
      name: 'weekBefore',
      at: at('2026-09-06', '23:59:59'),
      input: {
        channel: 'web',
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'investment_crypto' },
        victim: { currentCountry: 'KH' },
        suspects: { phones: [sharedPhone] },
      },
    },
  ] as const;
  const ids: Record<(typeof entries)[number]['name'], string> = {} as never;
  for (const entry of entries) {
    const { reportId } = await harness.submit(entry.input as never);
    await services.db
      .updateTable('reports')
      .set({ created_at: entry.at, updated_at: entry.at })
      .where('id', '=', reportId)
      .execute();
    ids[entry.name] = reportId;
  }

  // The urgent clocks as p18-urgent's worker leaves them: two taken (after 2 and 10 minutes), one not yet.
  const clock = (reportId: string, since: string, acknowledgedAt: string | null) => ({
    report_id: reportId,
    urgent_since: since,
    hotline_ack_due_at: new Date(Date.parse(since) + 15 * 60_000).toISOString(),
    hotline_acknowledged_at: acknowledgedAt,
    hotline_acknowledged_by: acknowledgedAt ? 'fixture' : null,
    escalation_count: 0,
    created_at: since,
    updated_at: since,
  });
  const clocks = [
    clock(ids.heldOne, at('2026-09-14', '00:00:00'), at('2026-09-14', '00:02:00')),
    clock(ids.heldTwo, at('2026-09-16'), at('2026-09-16', '10:10:00')),
    clock(ids.heldThree, at('2026-09-20', '23:00:00'), null),
  ];
  for (const row of clocks)
    await services.db
      .insertInto('urgent_clocks')
      .values(row)
      .onConflict((conflict) =>
        conflict.column('report_id').doUpdateSet({
          urgent_since: row.urgent_since,
          hotline_acknowledged_at: row.hotline_acknowledged_at,
          hotline_acknowledged_by: row.hotline_acknowledged_by,
        }),
      )
      .execute();

  // A compound with two people held now (confirmed, urgent, open), a proposal that does not count, and a
  // compound whose name would run as a formula in a spreadsheet.
  const compound = (id: string, name: string) => compoundRow({ id, name, at: at('2026-09-01'), by: 'fixture' });
  await services.db
    .insertInto('compounds')
    .values([compound('cmp-kk', 'KK Park'), compound('cmp-formula', '=HYPERLINK("http://evil.example")')])
    .execute();
  const compoundCase = (compoundId: string, reportId: string, state: string) => ({
    compound_id: compoundId,
    report_id: reportId,
    state,
    reason: 'name',
    detail: '{}',
    proposed_at: at('2026-09-17'),
    decided_at: state === 'proposed' ? null : at('2026-09-17'),
    decided_by: state === 'proposed' ? null : 'fixture',
  });
  await services.db
    .insertInto('compound_cases')
    .values([
      compoundCase('cmp-kk', ids.heldOne, 'confirmed'),
      compoundCase('cmp-kk', ids.heldTwo, 'confirmed'),
      compoundCase('cmp-kk', ids.heldThree, 'proposed'),
      compoundCase('cmp-formula', ids.heldThree, 'confirmed'),
    ])
    .execute();
  return ids;
}

/** A CSV's rows as `panel|week|key|detail` → value. */
export function csvFigures(csv: string): Map<string, string> {
  const figures = new Map<string, string>();
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .slice(1);
  for (const line of lines) {
    const cells: string[] = [];
    for (const match of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
      if (match[0] === '' && match.index === line.length) break;
      const raw = match[1]!;
      cells.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    }
    const [panel, week, key, detail, value] = cells;
    figures.set(`${panel}|${week}|${key}|${detail}`, value ?? '');
  }
  return figures;
}
