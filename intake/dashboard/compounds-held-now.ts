import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { reportInScope, type DashboardScope } from './dashboard-scope.js';

export interface CompoundHeldNow {
  compoundId: string;
  /** As staff wrote it in the register (any script). */
  name: string;
  country: string;
  status: string;
  /** Open urgent cases confirmed on the compound: people held there now, as far as the reports say. */
  heldNow: number;
}

export const compoundsShown = 10;

/** A row of either query (counted here, or kept) as the dashboard shows it; PostgreSQL counts as text. */
export function compoundHeldNowOf(row: {
  id: string;
  name: string;
  country: string;
  status: string;
  held: number | string | bigint;
}): CompoundHeldNow {
  return { compoundId: row.id, name: row.name, country: row.country, status: row.status, heldNow: Number(row.held) };
}

/**
 * The compounds with the most people held now: confirmed cases of the
 * compound that are urgent and still open. Not bound to the period: it is
 * the state of today. An agency counts its own cases only, so it sees the
 * compounds its cases are on.
 */
export async function compoundsHeldNow(db: Kysely<Database>, scope: DashboardScope): Promise<CompoundHeldNow[]> {
  const rows = await db
    .selectFrom('compound_cases')
    .innerJoin('compounds', 'compounds.id', 'compound_cases.compound_id')
    .innerJoin('reports', 'reports.id', 'compound_cases.report_id')
    .select((eb) => [
      'compounds.id',
      'compounds.name',
      'compounds.country',
      'compounds.status',
      eb.fn.countAll().as('held'),
    ])
    .where('compound_cases.state', '=', 'confirmed')
    .where('reports.urgent', '=', 1)
    .where('reports.in_queue', '=', 1)
    .where(reportInScope(scope, 'reports.id'))
    .groupBy(['compounds.id', 'compounds.name', 'compounds.country', 'compounds.status'])
    .orderBy('held', 'desc')
    .orderBy('compounds.name')
    .limit(compoundsShown)
    .execute();
  return rows.map(compoundHeldNowOf);
}
