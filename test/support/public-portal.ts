import { createPortal } from '../../app/create-portal.js';
import { silentLogger, type Logger } from '../../app/logger.js';
import type { Clock } from '../../intake/clock.js';
import type { TestDatabase } from './test-databases.js';
import { openTestServices } from './test-services.js';

/**
 * The public side of the portal (landing, report form, web chat, status
 * page) as the composition root builds it, over a test's database. A failure
 * no handler expected is thrown back at the request that met it.
 */
export async function createPublicPortal(database: TestDatabase, options: { now?: Clock } = {}) {
  const logger: Logger = {
    ...silentLogger,
    failure: (operation, error) => {
      if (operation === 'http.request') throw error;
    },
  };
  const services = await openTestServices(database, {
    environment: { EVIDENCE_MAX_MB: '1' },
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  const app = createPortal(services, logger);
  return { app, intake: services, evidenceDir: services.config.dataDir, dispose: () => services.close() };
}

/** A browser for app.request(): keeps cookies, follows a 303 after a post. */
export function browserFor(app: ReturnType<typeof createPortal>, language: string) {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, value] = pair!.split('=');
      cookies.set(name!, value ?? '');
    }
  };
  const open = async (path: string) => {
    const response = await app.request(path, { headers: { cookie: cookieHeader(), 'accept-language': language } });
    remember(response);
    return { response, html: await response.text() };
  };
  const post = async (path: string, fields: Record<string, string | File | Array<string | File>>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) form.append(name, item);
    const response = await app.request(path, {
      method: 'POST',
      body: form,
      headers: { cookie: cookieHeader(), 'accept-language': language },
    });
    remember(response);
    if (response.status === 303) return open(response.headers.get('location')!);
    return { response, html: await response.text() };
  };
  const token = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** Posts a form shown on a page, with its anti-forgery token. */
  const submit = async (
    page: { html: string },
    path: string,
    fields: Record<string, string | File | Array<string | File>>,
  ) => post(path, { token: token(page.html), ...fields });
  return { open, post, submit, token, cookies };
}
