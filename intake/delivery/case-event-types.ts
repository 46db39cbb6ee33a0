/**
 * Every event type a webhook delivery can carry (the payload's `type`), as
 * Standard Webhooks recommends: full-stop delimited, one payload schema each.
 * Each payload is `{ type, timestamp, data }` where `data` is the case as the
 * agency sees it (a `CaseDocument`).
 */
export const caseEventTypes = {
  /**
   * A case was routed to the agency (at submission, by an amendment or a routing correction that adds the agency), and
   * is not urgent.
   */
  routed: 'case.routed',
  /**
   * As `case.routed`, for a case whose reporter is in immediate danger or held (`report.urgent`): sent instead of it,
   * and first. Once per case and agency: a case that becomes urgent by an amendment after its `case.routed` went out
   * is sent `case.urgent` then, as a recorded event (`intake/urgent/start-urgent-clock.ts`).
   */
  urgent: 'case.urgent',
  /**
   * A case the agency already has was amended (the reporter or staff corrected
   * or added to it): `data` is the whole case as it is now, its `amendments`
   * naming the fields each version changed. Sent once per amendment to every
   * agency on the case whose earlier delivery has gone out.
   */
  updated: 'case.updated',
  /**
   * The reporter withdrew a case the agency has (delivered, or about to be): the
   * hotline keeps it, marked withdrawn (`data.withdrawnAt`). Sent once per
   * withdrawal, by every means the agency was reached by; `data` is the case as
   * it is now.
   */
  withdrawn: 'case.withdrawn',
} as const;

export type CaseEventType = (typeof caseEventTypes)[keyof typeof caseEventTypes];

/**
 * The event types an outbox row records: a delivery without one is the case's routing (`case.routed` or `case.urgent`).
 * A recorded `case.urgent` is the alert of a case that became urgent after its routing went out.
 */
export const recordedCaseEventTypes = [
  caseEventTypes.updated,
  caseEventTypes.withdrawn,
  caseEventTypes.urgent,
] as const;
export type RecordedCaseEventType = (typeof recordedCaseEventTypes)[number];
