import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isStaff, type CaseActor } from '../cases/case-actor.js';

/**
 * Whose reports a dashboard counts: the hotline's staff count every report;
 * an agency only the cases routed to it and shareable, by the same rule as
 * its inbox (`casesRoutedTo`), so no figure of its dashboard holds another
 * agency's case.
 */
export type DashboardScope = { kind: 'hotline' } | { kind: 'agency'; agencyId: string };

/** The scope a console user reads; an agency account without an agency sees nothing. */
export function dashboardScopeOf(actor: CaseActor): DashboardScope {
  if (isStaff(actor)) return { kind: 'hotline' };
  return { kind: 'agency', agencyId: actor.agencyId ?? '' };
}

/**
 * A condition on the report whose id is in `reportIdColumn`: true for every
 * report of the hotline, and, for an agency, an indexed look-up of that
 * report's routing to it (the primary key of report_agencies).
 */
export function reportInScope(scope: DashboardScope, reportIdColumn: string): RawBuilder<SqlBool> {
  if (scope.kind === 'hotline') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`exists (select 1 from report_agencies scope_agency
    inner join report_routing scope_routing on scope_routing.report_id = scope_agency.report_id
    where scope_agency.report_id = ${sql.ref(reportIdColumn)}
      and scope_agency.agency_id = ${scope.agencyId}
      and scope_routing.withheld = 0)`;
}
