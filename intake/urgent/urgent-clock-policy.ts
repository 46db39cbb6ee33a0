/**
 * How long an urgent case may wait, as the deployment sets it: the hotline's
 * window to take the case, each agency's window to accept it, and the
 * agencies an unaccepted case is offered to next, in order.
 */
export interface UrgentClockPolicy {
  /** From the moment a case is urgent until a supervisor is alerted if nobody at the hotline took it. */
  hotlineAckMs: number;
  /** An agency's window to accept an urgent case routed (or offered) to it. */
  agencyAcceptMs(agencyId: string): number;
  /** Who is offered a case the awaited agency has not accepted, in order (e.g. Interpol's desk). */
  escalationAgencies: readonly string[];
}

export interface UrgentClockSettings {
  hotlineAckMinutes: number;
  defaultAgencyAcceptMinutes: number;
  /** Per agency, from the directory (`urgentAcceptMinutes`) or the deployment's file. */
  agencyAcceptMinutes: ReadonlyMap<string, number>;
  escalationAgencies: readonly string[];
}

const minuteMs = 60_000;

export const defaultUrgentClockSettings: UrgentClockSettings = {
  hotlineAckMinutes: 15,
  defaultAgencyAcceptMinutes: 30,
  agencyAcceptMinutes: new Map(),
  escalationAgencies: ['interpol'],
};

export function urgentClockPolicy(settings: UrgentClockSettings = defaultUrgentClockSettings): UrgentClockPolicy {
  return {
    hotlineAckMs: settings.hotlineAckMinutes * minuteMs,
    agencyAcceptMs: (agencyId) =>
      (settings.agencyAcceptMinutes.get(agencyId) ?? settings.defaultAgencyAcceptMinutes) * minuteMs,
    escalationAgencies: settings.escalationAgencies,
  };
}
