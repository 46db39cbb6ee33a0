import type { StaffRole } from '../accounts/account-store.js';

/** Who acts on a case: the audit log's id for them, their role, and (for an agency) which agency. */
export interface CaseActor {
  /** As the audit log records it: `user:<id>` or `token:<id>`, never a name. */
  auditId: string;
  role: StaffRole;
  /** The account, for a signed-in person (an API token has none). */
  userId?: string;
  agencyId?: string | null;
}

/** A person at a console, as a case actor. */
export function consoleActor(user: { id: string; role: StaffRole; agencyId: string | null }): CaseActor {
  return { auditId: `user:${user.id}`, role: user.role, userId: user.id, agencyId: user.agencyId };
}

/** The one rule of who gives cases to someone else: supervisors and administrators; anyone takes one themselves. */
export function mayAssignOthers(role: StaffRole): boolean {
  return role === 'supervisor' || role === 'admin';
}

/** Hotline staff work on every case; an agency account only on its own agency's. */
export function isStaff(actor: CaseActor): boolean {
  return actor.role !== 'agency';
}
