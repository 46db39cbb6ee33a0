import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../../intake/clock.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { readFormWithEvidence, wasChosen } from '../http/evidence-uploads.js';
import { formLimits } from '../http/form-limits.js';
import { isHttpsRequest } from '../http/https-request.js';
import { fieldText, FormBodyError, readForm, type FormFields } from '../http/read-form.js';
import { clientAddress } from './client-address.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { ReportFollowups } from '../../intake/store/report-followups.js';
import type { ReportStore } from '../../intake/store/report-store.js';
import { formToken, formTokenMatches } from './form-token.js';
import { browserSession, existingBrowserSession } from './browser-session.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageResponse } from './public-page.js';
import { publicPageHeaders } from './public-security.js';
import { RateLimiter } from './rate-limiter.js';

export interface StatusPageDependencies {
  reports: ReportStore;
  followups: ReportFollowups;
  cipher: FieldCipher;
  i18n: i18n;
  evidence: EvidenceSettings;
  /** Count a client by the address a reverse proxy reports (REPORTLINE_TRUST_PROXY). */
  trustProxy?: boolean;
  now?: Clock;
}

const statusCookie = 'rl_status';
/** How long a checked report stays open in the browser without asking for the code again. */
const statusSessionMs = 30 * 60_000;

/**
 * The reporter's own view of their report: the reference and receipt code
 * open it; a wrong pair gets one answer whichever part was wrong, and tries
 * are limited per browser and per client, so codes cannot be guessed. The
 * guesser is limited, never the report: someone who knows a reference and
 * tries wrong codes cannot lock its reporter out (the code has 60 random bits).
 */
export function createStatusPage(dependencies: StatusPageDependencies) {
  const { reports, followups, cipher, i18n } = dependencies;
  const now = dependencies.now ?? systemClock;
  const perBrowser = new RateLimiter({ limit: 20, windowMs: 15 * 60_000, now });
  const perClient = new RateLimiter({ limit: 60, windowMs: 15 * 60_000, now });
  const app = new Hono();
  app.use('/status', ...publicPageHeaders);
  app.use('/status/*', ...publicPageHeaders);

  function openedReport(c: Context): string | undefined {
    const [reportId, expires, mac] = (getCookie(c, statusCookie) ?? '').split('.');
    if (!reportId || !expires || !mac || Number(expires) < now().getTime()) return undefined;
    return cipher.secretMatches('status-session', `${reportId}.${expires}`, mac) ? reportId : undefined;
  }

  function page(c: Context, language: LanguageCode, title: string, body: unknown, status: 200 | 400 | 429 = 200) {
    return publicPageResponse(c, i18n, { language, title, body, status });
  }

  function checkForm(c: Context, error?: string, typedReference = '') {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const token = formToken(cipher, browserSession(c));
    return page(
      c,
      language,
      t('status.heading'),
      <>
        <h1>{t('status.heading')}</h1>
        <p>{t('status.intro')}</p>
        {error ? (
          <p class="error" role="alert" id="status-error" data-message={error}>
            {t(error)}
          </p>
        ) : null}
        <form method="post" action="/status">
          <input type="hidden" name="token" value={token} />
          <label for="reference">{t('status.reference')}</label>
          <input
            id="reference"
            name="reference"
            autocomplete="off"
            value={typedReference}
            aria-describedby={error ? 'status-error' : undefined}
          />
          <label for="code">{t('status.receiptCode')}</label>
          <input id="code" name="code" type="password" autocomplete="off" />
          <p>
            <button type="submit" class="primary">
              {t('status.check')}
            </button>
          </p>
        </form>
      </>,
      error === 'status.tooMany' ? 429 : error ? 400 : 200,
    );
  }

  app.get('/status', (c) => checkForm(c));

  app.post('/status', async (c) => {
    let form: FormFields;
    try {
      form = (await readForm(c, { limits: formLimits.small })).fields;
    } catch (error) {
      if (error instanceof FormBodyError) return checkForm(c, 'errors.formUnreadable');
      throw error;
    }
    const reference = cleanTypedText(fieldText(form, 'reference') ?? '').slice(0, 40);
    const code = (fieldText(form, 'code') ?? '').slice(0, 40);
    const session = existingBrowserSession(c);
    if (!session || !formTokenMatches(cipher, session, fieldText(form, 'token'))) {
      return checkForm(c, 'errors.formExpired', reference);
    }
    if (!perBrowser.allow(session) || !perClient.allow(clientAddress(c, dependencies.trustProxy ?? false)))
      return checkForm(c, 'status.tooMany', reference);
    const reportId = await reports.verifyReceipt(reference, code);
    if (!reportId) return checkForm(c, 'status.notFound', reference);
    const expires = now().getTime() + statusSessionMs;
    const value = `${reportId}.${expires}`;
    setCookie(c, statusCookie, `${value}.${cipher.hashSecret('status-session', value)}`, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/status',
      secure: isHttpsRequest(c),
    });
    return c.redirect('/status/report', 303);
  });

  app.get('/status/report', async (c) => {
    const reportId = openedReport(c);
    if (!reportId) return c.redirect('/status', 303);
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const conversation = i18n.getFixedT(language, 'conversation');
    const [status, messages] = await Promise.all([
      followups.getStatus(reportId),
      followups.listMessagesForReporter(reportId),
    ]);
    const notice = c.req.query('added') === '1' ? 'status.added' : c.req.query('error');
    const token = formToken(cipher, getCookie(c, statusCookie) ?? '');
    return page(
      c,
      language,
      t('status.current'),
      <>
        <h1>{t('status.current')}</h1>
        <p>
          <strong>{status?.reference}</strong>: {conversation(`status.${status?.status ?? 'new'}`)}
        </p>
        <h2>{t('status.messages')}</h2>
        {messages.length > 0 ? (
          <ul>
            {messages.map((message) => (
              <li>
                <time datetime={message.createdAt}>{message.createdAt.slice(0, 10)}</time> — {message.body}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('status.noMessages')}</p>
        )}
        <h2>{t('status.addHeading')}</h2>
        {notice &&
        ['status.added', 'status.addEmpty', 'status.fileRejected', 'errors.formUnreadable'].includes(notice) ? (
          <p class={notice === 'status.added' ? 'hint' : 'error'} role="status" data-message={notice}>
            {t(notice)}
          </p>
        ) : null}
        <form method="post" action="/status/add" enctype="multipart/form-data">
          <input type="hidden" name="token" value={token} />
          <label for="addition">{t('status.addText')}</label>
          <textarea id="addition" name="text" rows={4} maxlength={20000}></textarea>
          <label for="file">{t('status.addFile')}</label>
          <input id="file" type="file" name="file" accept="image/*,application/pdf,video/*" />
          <p>
            <button type="submit" class="primary">
              {t('status.addSend')}
            </button>
          </p>
        </form>
      </>,
    );
  });

  app.post('/status/add', async (c) => {
    const reportId = openedReport(c);
    if (!reportId) return c.redirect('/status', 303);
    const sessionToken = getCookie(c, statusCookie) ?? '';
    let read;
    try {
      read = await readFormWithEvidence(c, {
        limits: formLimits.message(dependencies.evidence.limits.maxBytes),
        evidence: dependencies.evidence,
        tokenMatches: (token) => formTokenMatches(cipher, sessionToken, token),
      });
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      if (error.problem === 'token') return c.redirect('/status', 303);
      return c.redirect(
        `/status/report?error=${error.problem === 'too_large' ? 'status.fileRejected' : 'errors.formUnreadable'}`,
        303,
      );
    }
    if (!formTokenMatches(cipher, sessionToken, fieldText(read.fields, 'token'))) return c.redirect('/status', 303);
    const text = cleanTypedText(fieldText(read.fields, 'text') ?? '')
      .trim()
      .slice(0, 20_000);
    const upload = read.files.map((file) => file.result).find(wasChosen);
    if (!text && !upload) return c.redirect('/status/report?error=status.addEmpty', 303);
    if (upload && 'refused' in upload) return c.redirect('/status/report?error=status.fileRejected', 303);
    await followups.addToReport(reportId, {
      ...(text ? { text } : {}),
      evidence: upload ? [upload.stored] : [],
      channel: 'web',
      actor: 'reporter:web',
    });
    return c.redirect('/status/report?added=1', 303);
  });

  return app;
}
