/**
 * When a payment makes a freeze request, and how soon the request should reach the bank: a deployment's settings
 * (REPORTLINE_FREEZE_REQUEST_DAYS, REPORTLINE_FREEZE_REQUEST_HOURS). Banks can hold money only while it is still in
 * the account; after a week it has usually moved on, and within hours is when a freeze works.
 */
export interface FreezeRequestSettings {
  /** A payment at most this many days before the report (or the amendment naming it) is recent. */
  recentDays: number;
  /** Hours from the request's making to when it should have been sent. */
  hours: number;
}

export const defaultFreezeRequestSettings: FreezeRequestSettings = { recentDays: 7, hours: 2 };

const dayMs = 24 * 60 * 60_000;

/**
 * Whether a payment's date is recent at `at`. A date later than today (by up to a day: the reporter's zone may be
 * ahead of UTC) counts as today; a payment without a date is not known to be recent, so makes no request.
 */
export function paidRecently(paidOn: string | undefined, at: Date, settings: FreezeRequestSettings): boolean {
  if (!paidOn) return false;
  const paid = Date.parse(`${paidOn}T00:00:00Z`);
  if (Number.isNaN(paid)) return false;
  const today = Date.parse(`${at.toISOString().slice(0, 10)}T00:00:00Z`);
  return paid >= today - settings.recentDays * dayMs && paid <= today + dayMs;
}
