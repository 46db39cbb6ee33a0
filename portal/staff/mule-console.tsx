import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { FreezeRequestError, type FreezeRequestErrorCode } from '../../intake/mules/freeze-request-error.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { fieldText } from '../http/read-form.js';
import { publicPageHeaders } from '../public/public-security.js';
import { MuleAccountsPage } from './mule-accounts-page.js';
import { FreezeRequestsPage } from './mule-freeze-requests-page.js';
import { loadDutyDesk } from './urgent-duty-desk.js';

/** What staff are told when a send is refused: a key of the `staff` namespace per code. */
export const freezeRequestErrorKeys: Record<FreezeRequestErrorCode, string> = {
  'freeze_request.not_found': 'mules.error.notFound',
  'freeze_request.already_sent': 'mules.error.alreadySent',
  'freeze_request.already_queued': 'mules.error.alreadyQueued',
  'freeze_request.no_fraud_desk': 'mules.error.noDesk',
  'freeze_request.mail_not_configured': 'mules.error.noMail',
  'freeze_request.no_freeze_channel': 'mules.error.noChannel',
};
const errorKeys = Object.values(freezeRequestErrorKeys);

/** A freeze request's id as the store makes them (time-ordered UUIDs): anything else is not one. */
const requestIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const listQuery = z.object({
  done: z.enum(['mules.queuedNotice', 'mules.recordedNotice']).optional().catch(undefined),
  error: z
    .string()
    .refine((key) => errorKeys.includes(key))
    .optional()
    .catch(undefined),
});

/**
 * Mule accounts in the staff console: the freeze requests to send (`/staff/freeze-requests`), queueing one's e-mail
 * to the bank's fraud desk (one intake use case, audited there; the mail outbox sends it), and the accounts several
 * reports name
 * (`/staff/mule-accounts`).
 */
export function createMuleConsole(dependencies: ConsoleDependencies) {
  const app = new Hono<ConsoleEnv>();
  const { mules, cipher } = dependencies;
  if (!mules) return app;
  const { tOf, page, refuse, actorOf } = consolePages(dependencies.i18n, cipher, dependencies.agencyName);
  const staffOnly = requireConsoleUser(dependencies.accounts, cipher, ['hotline', 'supervisor', 'admin'], refuse);
  for (const path of ['/staff/freeze-requests', '/staff/freeze-requests/*', '/staff/mule-accounts'])
    app.use(
      path,
      bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Too large', 413) }),
      ...publicPageHeaders,
      staffOnly,
      loadDutyDesk(dependencies.urgent),
    );

  app.get('/staff/freeze-requests', zValidator('query', listQuery), async (c) => {
    const t = tOf(c);
    const { open, sent } = await mules.freezeRequests();
    const query = c.req.valid('query');
    return page(
      c,
      t('mules.freezeTitle'),
      <FreezeRequestsPage
        t={t}
        open={open}
        sent={sent}
        token={consoleFormToken(cipher, c)}
        notice={query.done}
        error={query.error}
      />,
    );
  });

  /** One press on a request (send its e-mail, or record a call or a form), then back to the list or the case. */
  const act = async (c: Context<ConsoleEnv>, notice: string, action: (id: string) => Promise<unknown>) => {
    const id = c.req.param('id') ?? '';
    const back = fieldText(postedForm(c), 'back') === 'case' ? 'case' : 'list';
    let outcome: { key: string; failed: boolean };
    if (!requestIdPattern.test(id)) outcome = { key: freezeRequestErrorKeys['freeze_request.not_found'], failed: true };
    else {
      try {
        await action(id);
        outcome = { key: notice, failed: false };
      } catch (error) {
        if (!(error instanceof FreezeRequestError)) throw error;
        outcome = { key: freezeRequestErrorKeys[error.code], failed: true };
      }
    }
    if (back === 'case' && requestIdPattern.test(id)) {
      const request = await mules.freezeRequest(id);
      if (request) return c.redirect(`/staff/cases/${request.reference}?done=${outcome.key}#freeze-requests`, 303);
    }
    return c.redirect(`/staff/freeze-requests?${outcome.failed ? 'error' : 'done'}=${outcome.key}`, 303);
  };

  app.post('/staff/freeze-requests/:id/send', (c) =>
    act(c, 'mules.queuedNotice', (id) => mules.sendFreezeRequest(id, actorOf(c))),
  );

  // Staff called the national anti-scam centre, or filled in its web form: the request is asked, its clock stops.
  app.post('/staff/freeze-requests/:id/record', (c) => {
    const via = fieldText(postedForm(c), 'via');
    return act(c, 'mules.recordedNotice', (id) => {
      if (via !== 'phone' && via !== 'form') throw new FreezeRequestError('freeze_request.no_freeze_channel');
      return mules.recordFreezeRequest(id, actorOf(c), via);
    });
  });

  app.get('/staff/mule-accounts', async (c) => {
    const t = tOf(c);
    return page(c, t('mules.accountsTitle'), <MuleAccountsPage t={t} accounts={await mules.reportedAccounts()} />);
  });
  return app;
}
