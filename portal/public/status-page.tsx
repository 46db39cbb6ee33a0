import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../../intake/clock.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { readFormWithEvidence, wasChosen, type UploadedEvidence } from '../http/evidence-uploads.js';
import { formLimits } from '../http/form-limits.js';
import { isHttpsRequest } from '../http/https-request.js';
import { fieldText, FormBodyError, readForm, type FormFields, type ReadForm } from '../http/read-form.js';
import { clientAddress } from './client-address.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { ReportFollowups } from '../../intake/store/report-followups.js';
import type { ReportStore } from '../../intake/store/report-store.js';
import { formToken, formTokenMatches } from './form-token.js';
import { browserSession, existingBrowserSession } from './browser-session.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageResponse } from './public-page.js';
import { Isolated } from './bidi-isolate.js';
import { textDirection } from '../page-frame.js';
import { publicPageHeaders } from './public-security.js';
import { RateLimiter } from './rate-limiter.js';
import { RecoveryShield } from './check-recovery-shield.js';
import { reportsLostMoney } from '../../intake/conversation/check-recovery-shield.js';
import { readStatusCookie, statusCookie, statusCookieValue } from './status-cookie.js';
import type { EndedVisitStore } from '../../intake/store/ended-visits.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';

/** The status form's addition id: a random UUID the page rendered. */
const additionIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface StatusPageDependencies {
  reports: ReportStore;
  followups: ReportFollowups;
  cipher: FieldCipher;
  i18n: i18n;
  evidence: EvidenceSettings;
  /** Status visits the quick exit ended: their cookie opens nothing any more. */
  endedVisits: EndedVisitStore;
  /** Count a client by the address a reverse proxy reports (REPORTLINE_TRUST_PROXY). */
  trustProxy?: boolean;
  now?: Clock;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
}

/** What the last post did ("added"), shown once by the page it redirects to, so no address carries it. */
const noticeCookie = 'rl_notice';
/** Files one addition may carry: one refused keeps the message and the others. */
export const filesPerAddition = 5;
const additionTextLength = 20_000;

/** A file of an addition that was not taken, named with its reason beside it. */
interface RefusedFile {
  fileName: string;
  key: string;
}
/** How long a checked report stays open in the browser without asking for the code again. */
const statusSessionMs = 30 * 60_000;

/**
 * The reporter's own view of their report: the reference and receipt code
 * open it; a wrong pair gets one answer whichever part was wrong, and tries
 * are limited per browser and per client, so codes cannot be guessed. The
 * guesser is limited, never the report: someone who knows a reference and
 * tries wrong codes cannot lock its reporter out (the code has 60 random bits).
 * Every page of it has one address, `/status` (the check, the report and
 * the addition post there), so the history holds nothing more.
 */
export function createStatusPage(dependencies: StatusPageDependencies) {
  const { reports, followups, cipher, i18n } = dependencies;
  const now = dependencies.now ?? systemClock;
  // These guard the receipt code against guessing: with the shared store down they refuse.
  const shared = { limits: dependencies.limits, whenStoreDown: 'refuse' } as const;
  const perBrowser = new RateLimiter({ limit: 20, windowMs: 15 * 60_000, now, name: 'status.per-browser', ...shared });
  const perClient = new RateLimiter({ limit: 60, windowMs: 15 * 60_000, now, name: 'status.per-client', ...shared });
  const app = new Hono();
  app.use('/status', ...publicPageHeaders);
  app.use('/status/*', ...publicPageHeaders);

  /** The report this browser opened, unless its visit expired or the quick exit ended it (a copied cookie). */
  async function openedReport(c: Context): Promise<string | undefined> {
    const opened = readStatusCookie(cipher, getCookie(c, statusCookie), now());
    if (!opened || (await dependencies.endedVisits.hasEnded('status-page', opened.visit))) return undefined;
    return opened.reportId;
  }

  function page(c: Context, language: LanguageCode, body: unknown, status: 200 | 400 | 413 | 429 = 200) {
    return publicPageResponse(c, i18n, { language, body, status });
  }

  function checkForm(c: Context, error?: string, typedReference = '') {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const token = formToken(cipher, browserSession(c));
    return page(
      c,
      language,
      <>
        <h1>{t('status.heading')}</h1>
        <p>{t('status.intro')}</p>
        {error ? (
          <p class="error" role="alert" id="status-error" data-message={error}>
            {t(error)}
          </p>
        ) : null}
        <form method="post" action="/status" autocomplete="off">
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="intent" value="check" />
          <label for="reference">{t('status.reference')}</label>
          <input
            id="reference"
            name="reference"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            value={typedReference}
            aria-describedby={error ? 'status-error' : undefined}
          />
          <label for="code">{t('status.receiptCode')}</label>
          {/* Not a password field: a browser must not offer to keep the code for whoever uses the phone next. */}
          <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck={false} />
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

  /** The opened report: its status, staff's messages, and the form to add to it (with what was typed, if refused). */
  async function reportPage(
    c: Context,
    reportId: string,
    view: { notice?: string; typed?: string; refused?: RefusedFile[]; status?: 200 | 400 | 413 } = {},
  ) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const direction = textDirection(language);
    const conversation = i18n.getFixedT(language, 'conversation');
    const [status, messages, stored] = await Promise.all([
      followups.getStatus(reportId),
      followups.listMessagesForReporter(reportId),
      reports.getReportById(reportId),
    ]);
    const token = formToken(cipher, getCookie(c, statusCookie) ?? '');
    const { notice, refused = [] } = view;
    return page(
      c,
      language,
      <>
        <h1>{t('status.current')}</h1>
        <p>
          <strong>
            <bdi>{status?.reference}</bdi>
          </strong>
          : {conversation(`status.${status?.status ?? 'new'}`)}
        </p>
        {stored && reportsLostMoney(stored.report) ? <RecoveryShield t={t} /> : null}
        <h2>{t('status.messages')}</h2>
        {messages.length > 0 ? (
          <ul>
            {messages.map((message) => (
              <li>
                <time datetime={message.createdAt}>
                  <bdi>{message.createdAt.slice(0, 10)}</bdi>
                </time>{' '}
                — <Isolated text={message.body} direction={direction} />
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('status.noMessages')}</p>
        )}
        <h2>{t('status.addHeading')}</h2>
        {notice ? (
          <p class={notice === 'status.added' ? 'notice' : 'error'} role="status" data-message={notice}>
            {t(notice)}
          </p>
        ) : null}
        <form method="post" action="/status" enctype="multipart/form-data" autocomplete="off">
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="intent" value="add" />
          {/* This form's own addition: sent twice (a double click, a resent post) it is added once. */}
          <input type="hidden" name="addition_id" value={randomUUID()} />
          <label for="addition">{t('status.addText')}</label>
          <textarea id="addition" name="text" rows={4} maxlength={additionTextLength}>
            {view.typed ?? ''}
          </textarea>
          <label for="file">{t('status.addFile')}</label>
          {refused.length > 0 ? (
            <ul class="refused-files" id="file-errors">
              {refused.map((file) => (
                <li class="error" data-message={file.key}>
                  <bdi>{file.fileName}</bdi>: {t(file.key, { name: file.fileName, max: maxMegabytes() })}
                </li>
              ))}
            </ul>
          ) : null}
          <input
            id="file"
            type="file"
            name="file"
            multiple
            accept="image/*,application/pdf,video/*"
            aria-describedby={refused.length > 0 ? 'file-errors' : undefined}
          />
          <p>
            <button type="submit" class="primary">
              {t('status.addSend')}
            </button>
          </p>
        </form>
      </>,
      view.status ?? 200,
    );
  }

  const maxMegabytes = () => String(Math.round(dependencies.evidence.limits.maxBytes / (1024 * 1024)));

  /** Answers at the one address, with what the post did shown once there. */
  function showStatus(c: Context, notice?: string) {
    if (notice) setCookie(c, noticeCookie, notice, { httpOnly: true, sameSite: 'Strict', path: '/status' });
    return c.redirect('/status', 303);
  }

  const notices = ['status.added', 'status.addEmpty', 'status.fileRejected', 'errors.formUnreadable'];

  async function shownNow(c: Context) {
    const reportId = await openedReport(c);
    if (!reportId) return checkForm(c);
    const notice = getCookie(c, noticeCookie);
    if (notice !== undefined) deleteCookie(c, noticeCookie, { path: '/status' });
    return reportPage(c, reportId, notice && notices.includes(notice) ? { notice } : {});
  }

  app.get('/status', shownNow);
  // The report's address before `/status` was the page's only one.
  app.get('/status/report', async (c) => ((await openedReport(c)) ? shownNow(c) : c.redirect('/status', 303)));

  async function check(c: Context, form: FormFields) {
    const reference = cleanTypedText(fieldText(form, 'reference') ?? '').slice(0, 40);
    const code = (fieldText(form, 'code') ?? '').slice(0, 40);
    const session = existingBrowserSession(c);
    if (!session || !formTokenMatches(cipher, session, fieldText(form, 'token'))) {
      return checkForm(c, 'errors.formExpired', reference);
    }
    if (
      !(await perBrowser.allow(session)) ||
      !(await perClient.allow(clientAddress(c, dependencies.trustProxy ?? false)))
    )
      return checkForm(c, 'status.tooMany', reference);
    const reportId = await reports.verifyReceipt(reference, code);
    if (!reportId) return checkForm(c, 'status.notFound', reference);
    setCookie(c, statusCookie, statusCookieValue(cipher, reportId, now().getTime() + statusSessionMs), {
      httpOnly: true,
      sameSite: 'Strict',
      // Sent to every page (path /), so the quick exit at `/leave` can end the visit on the server.
      path: '/',
      secure: isHttpsRequest(c),
    });
    return showStatus(c);
  }

  const refusedKey = (upload: Extract<UploadedEvidence, { refused: unknown }>) =>
    upload.refused === 'evidence.too_large'
      ? 'form.error.fileTooLarge'
      : upload.refused === 'evidence.empty'
        ? 'form.error.fileEmpty'
        : 'form.error.fileType';

  /**
   * Adds what the reporter sent: the message and every file that was taken.
   * A refused file loses nothing else: the rest is added, and the page names
   * the refused file with its reason beside the file field.
   */
  async function add(c: Context, reportId: string, read: ReadForm<UploadedEvidence>) {
    const sessionToken = getCookie(c, statusCookie) ?? '';
    const typed = fieldText(read.fields, 'text') ?? '';
    if (!formTokenMatches(cipher, sessionToken, fieldText(read.fields, 'token')))
      return reportPage(c, reportId, { notice: 'errors.formExpired', typed, status: 400 });
    const text = cleanTypedText(typed).trim().slice(0, additionTextLength);
    const uploads = read.files.map((file) => file.result).filter(wasChosen);
    const stored = uploads.flatMap((upload) => ('stored' in upload ? [upload.stored] : []));
    const refused = uploads.flatMap((upload) =>
      'refused' in upload ? [{ fileName: cleanTypedText(upload.fileName), key: refusedKey(upload) }] : [],
    );
    if (!text && stored.length === 0) {
      return refused.length > 0
        ? reportPage(c, reportId, { notice: 'status.fileRejected', refused, status: 400 })
        : showStatus(c, 'status.addEmpty');
    }
    const additionId = fieldText(read.fields, 'addition_id') ?? '';
    await followups.addToReport(reportId, {
      ...(text ? { text } : {}),
      evidence: stored,
      channel: 'web',
      actor: 'reporter:web',
      // Checked at the edge: only the page's own form of id is a key (scoped to this report).
      ...(additionIdPattern.test(additionId)
        ? { idempotency: { scope: 'status-addition', key: `${reportId}:${additionId}` } }
        : {}),
    });
    if (refused.length > 0) return reportPage(c, reportId, { notice: 'status.addedWithoutSome', refused, status: 400 });
    return showStatus(c, 'status.added');
  }

  /** Reads an addition's post; a body past the limit keeps the page and says why. */
  async function readAddition(c: Context, reportId: string) {
    const sessionToken = getCookie(c, statusCookie) ?? '';
    try {
      return await readFormWithEvidence(c, {
        limits: formLimits.statusAddition(dependencies.evidence.limits.maxBytes, filesPerAddition),
        evidence: dependencies.evidence,
        tokenMatches: (token) => formTokenMatches(cipher, sessionToken, token),
      });
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      // The body could not be read at all: nothing of it can be shown again, the reason is.
      return reportPage(c, reportId, {
        notice: error.problem === 'too_large' ? 'status.fileRejected' : 'errors.formUnreadable',
        status: error.problem === 'too_large' ? 413 : 400,
      });
    }
  }

  app.post('/status', async (c) => {
    const reportId = await openedReport(c);
    if (reportId) {
      // An opened report's page posts additions here; its check form is not shown, so a check is a new visit.
      const read = await readAddition(c, reportId);
      if (read instanceof Response) return read;
      if (fieldText(read.fields, 'intent') === 'check') return check(c, read.fields);
      return add(c, reportId, read);
    }
    let form: FormFields;
    try {
      form = (await readForm(c, { limits: formLimits.small })).fields;
    } catch (error) {
      if (error instanceof FormBodyError) return checkForm(c, 'errors.formUnreadable');
      throw error;
    }
    return check(c, form);
  });

  app.post('/status/add', async (c) => {
    const reportId = await openedReport(c);
    if (!reportId) return c.redirect('/status', 303);
    const read = await readAddition(c, reportId);
    if (read instanceof Response) return read;
    return add(c, reportId, read);
  });

  return app;
}
