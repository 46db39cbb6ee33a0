import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assembleConversationRunner,
  chatEvidenceLimits,
  formEvidenceLimits,
} from '../../app/assemble-conversations.js';
import { assembleIntake } from '../../app/assemble-intake.js';
import type { Clock } from '../../intake/clock.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { describeStoredRouting } from '../../intake/routing/describe-stored-routing.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { createPortalApp } from '../../portal/app.js';
import { testCipher } from './fixtures.js';
import type { TestDatabase } from './test-databases.js';
import { testI18n } from './test-portal.js';

/** The public side of the portal (landing, report form, web chat, status page) over a real database. */
export function createPublicPortal(database: TestDatabase, options: { now?: Clock; evidenceMaxBytes?: number } = {}) {
  const evidenceDir = mkdtempSync(join(tmpdir(), 'reportline-public-'));
  const directory = loadAgencyDirectory();
  const cipher = testCipher();
  const intake = assembleIntake({ db: database.db, cipher, router: createCaseRouter(directory), dataDir: evidenceDir });
  const maxBytes = options.evidenceMaxBytes ?? 1024 * 1024;
  const evidence = { dir: evidenceDir, limits: chatEvidenceLimits(maxBytes) };
  const app = createPortalApp({
    ...intake,
    authenticate: async () => undefined,
    isDatabaseReachable: async () => true,
    i18n: testI18n,
    describeRouting: () => [],
    emergencyContacts: (country, language) =>
      emergencyContactsFor(directory, country, testI18n.getFixedT(language, 'routing'), language),
    reportForm: {
      drafts: intake.drafts,
      cipher,
      evidence: { dir: evidenceDir, limits: formEvidenceLimits(maxBytes) },
      emergencyContacts: (country, nationality, language) =>
        emergencyContactsFor(directory, country, testI18n.getFixedT(language, 'routing'), language, nationality),
      describeRoutingToReporter: (reportId, language) =>
        describeStoredRouting(
          intake.routing,
          reportId,
          { reader: 'reporter', language },
          { directory, i18n: testI18n },
        ),
      ...(options.now ? { now: options.now } : {}),
    },
    webChat: {
      runner: assembleConversationRunner({ intake, directory, i18n: testI18n }),
      cipher,
      i18n: testI18n,
      evidence,
      ...(options.now ? { now: options.now } : {}),
    },
    statusPage: { followups: intake.followups, cipher, evidence, ...(options.now ? { now: options.now } : {}) },
    onUnexpectedError: (error) => {
      throw error;
    },
  });
  return { app, intake, evidenceDir, dispose: () => rmSync(evidenceDir, { recursive: true, force: true }) };
}

/** A browser for app.request(): keeps cookies, follows a 303 after a post. */
export function browserFor(app: ReturnType<typeof createPortalApp>, language: string) {
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
