import type { Context, MiddlewareHandler } from 'hono';

/**
 * What the public pages look like from the outside, for a reporter whose
 * phone may be checked: the name every page carries in its title (the tab
 * switcher and the history show nothing else), and the ordinary site the quick
 * exit replaces the page with. A deployment chooses both
 * (REPORTLINE_NEUTRAL_NAME, REPORTLINE_EXIT_URL).
 */
export interface PublicDisguise {
  /** The title of every public page; unset, a translated "Notes" (`portal:disguise.title`). */
  neutralName?: string;
  /** An ordinary outside page, nothing that hints at a report. */
  exitUrl: string;
}

export const defaultExitUrl = 'https://www.bbc.com/weather';

declare module 'hono' {
  interface ContextVariableMap {
    publicDisguise: PublicDisguise;
  }
}

/** Makes the deployment's disguise known to every public page of the request. */
export function provideDisguise(disguise: PublicDisguise | undefined): MiddlewareHandler {
  const chosen: PublicDisguise = disguise ?? { exitUrl: defaultExitUrl };
  return async (c, next) => {
    c.set('publicDisguise', chosen);
    await next();
  };
}

export function disguiseOf(c: Context): PublicDisguise {
  // Unset only when a public part is mounted without createPortalApp (a test of one part).
  return (c.get('publicDisguise') as PublicDisguise | undefined) ?? { exitUrl: defaultExitUrl };
}
