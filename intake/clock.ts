/**
 * The one shape of an injected clock, in the stores, the dispatcher and the
 * portal's limits and sessions alike, so a test steps one clock for all of
 * them. A Date, not a number: what the stores write is a Date.
 */
export type Clock = () => Date;

/** The real time, for everything not under test. */
export const systemClock: Clock = () => new Date();
