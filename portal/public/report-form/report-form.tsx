import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../../../intake/clock.js';
import { adviceFor } from '../../../intake/conversation/advice.js';
import { withRecoveryShield } from '../../../intake/conversation/check-recovery-shield.js';
import type { EmergencyContactView } from '../../../intake/conversation/conversation-types.js';
import type { EvidenceSettings } from '../../../intake/conversation/evidence-input.js';
import type { FieldCipher } from '../../../intake/crypto/field-cipher.js';
import type { LanguageCode } from '../../../intake/i18n/languages.js';
import { isUrgent } from '../../../intake/report/report-schema.js';
import { DraftConflictError, type ReportDraftStore, type StoredDraft } from '../../../intake/store/report-drafts.js';
import { IdempotencyConflictError, type ReportStore } from '../../../intake/store/report-store.js';
import { browserFormToken, browserFormTokenMatches, existingBrowserSession } from '../browser-session.js';
import { clientAddress } from '../client-address.js';
import { publicPageResponse } from '../public-page.js';
import { textDirection } from '../../page-frame.js';
import { publicPageHeaders } from '../public-security.js';
import { RateLimiter } from '../rate-limiter.js';
import type { RateLimits } from '../../../intake/limits/rate-limits.js';
import { chosenLanguage, visitorLanguage } from '../../http/request-language.js';
import { ConfirmationPage } from './confirmation-page.js';
import { acceptUploadedFiles } from './evidence-upload.js';
import { cleanTypedText } from '../../../intake/report/clean-text.js';
import { readFormWithEvidence, type UploadedEvidence } from '../../http/evidence-uploads.js';
import { formLimits } from '../../http/form-limits.js';
import { isHttpsRequest } from '../../http/https-request.js';
import { fieldText, FormBodyError, readForm, type FormFields } from '../../http/read-form.js';
import { applyConfirmedDetails, detailId, detailsToConfirm } from './found-details.js';
import {
  stepAfter,
  stepBefore,
  stepById,
  stepFieldNames,
  stepIds,
  type FormStep,
  type FormStepId,
  type FormValues,
} from './form-steps.js';
import {
  emptyDraft,
  interpretForm,
  limits,
  readDraftContent,
  rowsOf,
  type FieldError,
  type FormDraftContent,
} from './form-values.js';
import { ReviewPage } from './review-page.js';
import { StartPage } from './start-page.js';
import { StepPage, type Notice } from './step-page.js';
import { urgentStep } from './urgent-step.js';
import { draftCookie, draftCookieValue, readDraftCookie } from './draft-cookie.js';

export interface ReportFormDependencies {
  reports: ReportStore;
  drafts: ReportDraftStore;
  cipher: FieldCipher;
  i18n: i18n;
  /** Where files go, and what the form accepts: images and PDF documents up to the size limit. */
  evidence: EvidenceSettings;
  emergencyContacts: (
    country: string | undefined,
    nationality: string | undefined,
    language: LanguageCode,
  ) => EmergencyContactView[];
  /** Where a stored report went and why, in sentences for the reporter. */
  describeRoutingToReporter: (reportId: string, language: LanguageCode) => Promise<string[]>;
  /** Count a client by the address a reverse proxy reports (REPORTLINE_TRUST_PROXY). */
  trustProxy?: boolean;
  /** The address of the portal for the resume link; unset, the link is a path (never built from the Host header). */
  publicBaseUrl?: string;
  /** New drafts one client may start in an hour (a GET never starts one). */
  newDraftsPerClientPerHour?: number;
  now?: Clock;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
}

/**
 * Which page of the form `/report` shows (a step, the review, the receipt):
 * every page of the form has that one address, so the history holds nothing
 * but `/report` under a neutral title, and Back never opens a step by its name.
 */
const viewCookie = 'rl_view';
const views = ['start', ...stepIds, 'urgent', 'done'] as const;
type FormView = (typeof views)[number];
/** Submissions from the form are keyed by their draft: sending twice stores one report. */
const submissionScope = 'web-form';
/** The longest a field may be kept as typed (a story is at most 20,000 characters). */
const maxTypedLength = 25_000;

/**
 * The report form: a few short steps, each saved on the server as it is
 * sent, so a dropped connection or a closed tab loses nothing; a resume code
 * and link open the draft again. The last step shows every answer and what
 * the story mentions, to confirm, and sends the report to the same intake
 * as every other channel.
 */
export function createReportForm(dependencies: ReportFormDependencies) {
  const { reports, drafts, cipher, i18n } = dependencies;
  const now = dependencies.now ?? systemClock;
  // Saving and sending a report admit while the shared store is down (a person in danger must still be able
  // to report; the failure is logged); resuming by code refuses, since its limit guards the code against guessing.
  const limiterOptions = (
    limit: number,
    minutes: number,
    name: string,
    whenStoreDown: 'admit' | 'refuse' = 'admit',
  ) => ({
    limit,
    windowMs: minutes * 60_000,
    now,
    name: `form.${name}`,
    whenStoreDown,
    limits: dependencies.limits,
  });
  const savesPerBrowser = new RateLimiter(limiterOptions(120, 10, 'saves-per-browser'));
  const sendsPerBrowser = new RateLimiter(limiterOptions(5, 60, 'sends-per-browser'));
  const sendsPerClient = new RateLimiter(limiterOptions(30, 60, 'sends-per-client'));
  const resumesPerBrowser = new RateLimiter(limiterOptions(10, 15, 'resumes-per-browser', 'refuse'));
  const resumesPerClient = new RateLimiter(limiterOptions(50, 15, 'resumes-per-client', 'refuse'));
  const newDraftsPerClient = new RateLimiter(
    limiterOptions(dependencies.newDraftsPerClientPerHour ?? 30, 60, 'new-drafts-per-client'),
  );
  const app = new Hono();
  app.use('/report', ...publicPageHeaders);
  app.use('/report/*', ...publicPageHeaders);

  /** Today where the reporter may be: a date up to a day ahead of UTC is not "in the future". */
  const latestDate = () => new Date(now().getTime() + 24 * 60 * 60_000).toISOString().slice(0, 10);
  const client = (c: Context) => clientAddress(c, dependencies.trustProxy ?? false);

  function bindDraft(c: Context, draft: StoredDraft): void {
    // A session cookie: the draft is reached again with the resume code, not from a phone someone else picks up.
    // Sent to every page (path /), so the quick exit at `/leave` can end the binding on the server.
    setCookie(c, draftCookie, draftCookieValue(cipher, draft.id, draft.binding), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: isHttpsRequest(c),
    });
  }

  /** This browser's draft; one whose report was stored just before a crash is recognised as sent. */
  async function currentDraft(c: Context): Promise<StoredDraft | undefined> {
    const held = readDraftCookie(cipher, getCookie(c, draftCookie));
    const loaded = held ? await drafts.load(held.id) : undefined;
    // The quick exit moved the draft's binding on: a cookie from before it (a copy, or Back) opens nothing.
    const draft = loaded && loaded.binding === held?.binding ? loaded : undefined;
    if (!draft || draft.status !== 'open') return draft;
    const sent = await reports.findSubmission({ scope: submissionScope, key: draft.id });
    if (!sent) return draft;
    // The tag was saved with the content just before sending: the browser that sent it still sees its receipt.
    const sentBy = sentByOf(draft.content);
    await drafts.markSubmitted(draft.id, sent.reportId, sentBy);
    return { ...draft, status: 'submitted', reportId: sent.reportId, content: null, ...(sentBy ? { sentBy } : {}) };
  }

  /** The page's language: a choice made now, else the one the draft was written in, else the browser's. */
  function formLanguage(c: Context, content?: FormDraftContent): LanguageCode {
    return chosenLanguage(c) ?? content?.language ?? visitorLanguage(c);
  }

  function viewOf(c: Context): FormView {
    const view = getCookie(c, viewCookie);
    return (views as readonly string[]).includes(view ?? '') ? (view as FormView) : 'start';
  }

  /** Remembers the page shown (a session cookie): `/report` shows it again, and its post is read by its kind. */
  function remember(c: Context, view: FormView) {
    setCookie(c, viewCookie, view, { httpOnly: true, sameSite: 'Lax', path: '/report', secure: isHttpsRequest(c) });
  }

  /** Shows a page of the form at its one address: remembered, then a redirect to `/report`. */
  function show(c: Context, view: FormView) {
    remember(c, view);
    return c.redirect('/report', 303);
  }

  /** The tag of this browser session that a sent draft keeps, so only it is shown the receipt code. */
  function senderTag(c: Context): string | undefined {
    const session = existingBrowserSession(c);
    return session ? cipher.hashSecret('report-draft-sender', session) : undefined;
  }

  /**
   * The resume code, and the address where it is entered. The code is never in
   * an address: a browser's history would keep it for whoever picks the phone up.
   */
  async function resumeOf(draft: StoredDraft) {
    // Once shown, the draft is the reporter's to come back to: the quick exit keeps it (see endBrowserBinding).
    if (!draft.resumeShown) await drafts.markResumeShown(draft.id);
    // The Host header is the sender's to choose: without PUBLIC_BASE_URL the link is only a path.
    return { code: draft.resumeCode, link: `${dependencies.publicBaseUrl ?? ''}/report/resume` };
  }

  function urgentContacts(content: FormDraftContent, language: LanguageCode): EmergencyContactView[] | undefined {
    const { values } = content;
    if (values['safety.inImmediateDanger'] !== 'yes' && values['safety.heldAgainstWill'] !== 'yes') return undefined;
    const text = (name: string) =>
      typeof values[name] === 'string' && values[name] ? (values[name] as string) : undefined;
    return dependencies.emergencyContacts(text('victim.currentCountry'), text('victim.nationality'), language);
  }

  function html(
    c: Context,
    language: LanguageCode,
    body: unknown,
    status: 200 | 400 | 413 | 429 = 200,
    scripts?: string[],
  ) {
    return publicPageResponse(c, i18n, { language, body, status, ...(scripts ? { scripts } : {}) });
  }

  async function renderStep(
    c: Context,
    step: FormStep,
    view: { content: FormDraftContent; draft?: StoredDraft | undefined; errors: FieldError[]; notices?: Notice[] },
    status: 200 | 400 | 413 | 429 = 200,
  ) {
    const language = formLanguage(c, view.content);
    const t = i18n.getFixedT(language, 'portal');
    const urgent = urgentContacts(view.content, language);
    const resume = view.draft && view.draft.status === 'open' ? await resumeOf(view.draft) : undefined;
    remember(c, step.id);
    return html(
      c,
      language,
      <StepPage
        t={t}
        language={language}
        step={step}
        content={view.content}
        errors={view.errors}
        token={browserFormToken(cipher, c)}
        {...(resume ? { resume } : {})}
        {...(urgent ? { urgentContacts: urgent } : {})}
        {...(view.notices ? { notices: view.notices } : {})}
      />,
      status,
      step.id === 'evidence' ? undefined : ['/assets/form-size.js'],
    );
  }

  async function renderReview(c: Context, draft: StoredDraft, status: 200 | 400 | 429 = 200, notice?: string) {
    const content = readDraftContent(draft.content, formLanguage(c));
    const language = formLanguage(c, content);
    const t = i18n.getFixedT(language, 'portal');
    const { input, errors } = interpretForm(content, latestDate());
    const resume = await resumeOf(draft);
    remember(c, 'review');
    return html(
      c,
      language,
      <ReviewPage
        t={t}
        language={language}
        content={content}
        errors={errors}
        found={detailsToConfirm(content, input)}
        token={browserFormToken(cipher, c)}
        resume={resume}
        {...(notice ? { notice } : {})}
      />,
      status,
    );
  }

  function renderStart(c: Context, draft: StoredDraft | undefined, error?: string, typedCode = '') {
    const language = formLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    remember(c, 'start');
    return html(
      c,
      language,
      <StartPage
        t={t}
        token={browserFormToken(cipher, c)}
        hasDraft={draft?.status === 'open'}
        error={error}
        typedCode={typedCode}
      />,
      error === 'status.tooMany' ? 429 : error && error !== 'form.done.sentElsewhere' ? 400 : 200,
    );
  }

  /** The page `/report` shows now: the one remembered for this visit, or the start. */
  async function renderView(c: Context, view: FormView) {
    const draft = await currentDraft(c);
    if (view === 'done') return renderDone(c, draft);
    if (view === 'review') return draft?.status === 'open' ? renderReview(c, draft) : renderStart(c, draft);
    if (view === 'start') return renderStart(c, draft);
    return renderStepView(c, view === 'urgent' ? urgentStep : stepById(view)!, draft);
  }

  app.get('/report', async (c) => {
    const go = c.req.query('go');
    // A link to a page of the form (`?go=incident`) is remembered, then answered at the one address.
    if (go !== undefined) return show(c, (views as readonly string[]).includes(go) ? (go as FormView) : 'start');
    return renderView(c, viewOf(c));
  });

  async function resume(c: Context, code: string) {
    const session = existingBrowserSession(c) ?? 'no-session';
    if (!(await resumesPerBrowser.allow(session)) || !(await resumesPerClient.allow(client(c))))
      return renderStart(c, undefined, 'status.tooMany', code);
    // A sent draft's code opens nothing (see ReportDraftStore.findByResumeCode).
    const id = await drafts.findByResumeCode(code);
    const draft = id ? await drafts.load(id) : undefined;
    if (!draft) return renderStart(c, undefined, 'form.resume.notFound', code);
    // Bound as the draft is bound now: a binding the quick exit ended stays ended.
    bindDraft(c, draft);
    return show(c, 'review');
  }

  /**
   * Where the resume code is entered: a form that posts it, so the code is
   * never in an address the browser's history keeps. A link from before
   * (`?code=…`) opens nothing by itself: it is answered with a redirect to
   * the form, so the history keeps the address without the code.
   */
  app.get('/report/resume', async (c) => {
    if (c.req.query('code') !== undefined) return c.redirect('/report/resume', 303);
    return renderStart(c, await currentDraft(c));
  });

  app.post('/report/resume', async (c) => {
    const form = await readSmallForm(c);
    if (!form) return renderStart(c, undefined, 'errors.formUnreadable');
    const code = (fieldText(form, 'code') ?? '').slice(0, 40);
    if (!browserFormTokenMatches(cipher, c, fieldText(form, 'token')))
      return renderStart(c, undefined, 'errors.formExpired', code);
    return resume(c, code);
  });

  /**
   * Sends the draft: the review's "send", or the urgent page's once its answers are saved. `confirmed`
   * are the details found in the story that the reporter kept ticked; `undefined` keeps every one.
   */
  async function submitDraft(
    c: Context,
    draft: StoredDraft,
    confirmed: string[] | undefined,
    from: 'review' | 'urgent',
  ) {
    if (!(await sendsPerBrowser.allow(existingBrowserSession(c)!)) || !(await sendsPerClient.allow(client(c))))
      return from === 'review'
        ? renderReview(c, draft, 429, 'errors.tooManyRequests')
        : renderStep(
            c,
            urgentStep,
            {
              content: contentOf(c, draft),
              draft,
              errors: [],
              notices: [{ key: 'errors.tooManyRequests', tone: 'error' }],
            },
            429,
          );
    const language = formLanguage(c, readDraftContent(draft.content, formLanguage(c)));
    const sentBy = senderTag(c);
    let saved: StoredDraft;
    try {
      saved = await drafts.update(draft.id, (stored) => {
        const content = { ...readDraftContent(stored, language), language };
        const offered = detailsToConfirm(content, interpretForm(content, latestDate()).input);
        const kept = confirmed ?? offered.map((indicator) => detailId(indicator));
        return { ...applyConfirmedDetails(content, offered, kept), ...(sentBy ? { sentBy } : {}) };
      });
    } catch (error) {
      // Sent from another tab a moment ago: that report is this one.
      if (error instanceof DraftConflictError) return show(c, 'done');
      throw error;
    }
    const { input, errors } = interpretForm(readDraftContent(saved.content, language), latestDate());
    if (errors.length > 0) {
      if (from === 'review') return renderReview(c, saved, 400);
      const content = readDraftContent(saved.content, language);
      const names = new Set(stepFieldNames(urgentStep, (group) => rowsOf(content, group)).map(({ name }) => name));
      // A problem on a page the urgent reporter did not see is shown on the review, where it links to its page.
      if (errors.some((error) => !names.has(error.field))) return show(c, 'review');
      return renderStep(c, urgentStep, { content, draft: saved, errors }, 400);
    }
    let reportId: string;
    try {
      reportId = (
        await reports.submitReport(input, {
          actor: 'channel:web',
          idempotency: { scope: submissionScope, key: draft.id },
        })
      ).reportId;
    } catch (error) {
      // Sent from two tabs with different answers: the first one sent is the report.
      if (!(error instanceof IdempotencyConflictError)) throw error;
      reportId = (await reports.findSubmission({ scope: submissionScope, key: draft.id }))!.reportId;
    }
    await drafts.markSubmitted(draft.id, reportId, sentBy);
    return show(c, 'done');
  }

  async function submitPosted(c: Context, form: FormFields) {
    const draft = await currentDraft(c);
    if (!draft) return show(c, 'start');
    if (draft.status === 'submitted') return show(c, 'done');
    if (!browserFormTokenMatches(cipher, c, fieldText(form, 'token')))
      return renderReview(c, draft, 400, 'errors.formExpired');
    const confirmed = ([] as unknown[])
      .concat(form.found ?? [])
      .filter((value): value is string => typeof value === 'string');
    return submitDraft(c, draft, confirmed, 'review');
  }

  app.post('/report/submit', async (c) => {
    let form: FormFields;
    try {
      form = (await readForm(c, { limits: formLimits.text })).fields;
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      const draft = await currentDraft(c);
      return draft?.status === 'open' ? renderReview(c, draft, 400, 'errors.formUnreadable') : show(c, 'start');
    }
    return submitPosted(c, form);
  });

  /**
   * The receipt: the two codes, where the report went and what to do now,
   * shown only to the browser session that sent the report. A browser that
   * holds the draft otherwise (it opened it with the resume code) is told the
   * report was sent, without its codes.
   */
  async function renderDone(c: Context, draft: StoredDraft | undefined) {
    if (!draft || draft.status !== 'submitted') return renderStart(c, draft);
    const tag = senderTag(c);
    if (!tag || draft.sentBy !== tag) return renderStart(c, undefined, 'form.done.sentElsewhere');
    const sent = await reports.findSubmission({ scope: submissionScope, key: draft.id });
    const stored = sent ? await reports.getReportById(sent.reportId) : undefined;
    if (!sent || !stored) return renderStart(c, undefined);
    const language = formLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const { report } = stored;
    const print = c.req.query('print') === '1';
    // A report that tells of money paid gets the recovery-scam shield in place of the receipt's shorter line.
    const { adviceKeys, shield } = withRecoveryShield(report, adviceFor(report.incident.category, isUrgent(report)));
    remember(c, 'done');
    return html(
      c,
      language,
      <ConfirmationPage
        t={t}
        direction={textDirection(language)}
        reference={sent.reference}
        receiptCode={sent.receiptCode}
        routingLines={await dependencies.describeRoutingToReporter(sent.reportId, language)}
        adviceKeys={adviceKeys}
        lostMoney={shield.length > 0}
        contacts={dependencies.emergencyContacts(report.victim.currentCountry, report.victim.nationality, language)}
        print={print}
      />,
      200,
      ['/assets/receipt.js'],
    );
  }

  // The receipt by its own address, as links made before `/report` was the form's one address.
  app.get('/report/done', async (c) => renderDone(c, await currentDraft(c)));

  /** A short form (a code and its token); undefined when the body is not one. */
  async function readSmallForm(c: Context): Promise<FormFields | undefined> {
    try {
      return (await readForm(c, { limits: formLimits.small })).fields;
    } catch (error) {
      if (error instanceof FormBodyError) return undefined;
      throw error;
    }
  }

  /** A post that could not be taken: the step again as last saved, with the reason; nothing saved is lost. */
  async function postRefused(c: Context, step: FormStep, problem: FormBodyError['problem']) {
    const draft = await currentDraft(c);
    // Only the evidence step sends files; on any other, a body over the limit is what was typed.
    const key =
      problem === 'too_large'
        ? step.id === 'evidence'
          ? 'form.error.requestTooLarge'
          : 'form.error.textTooLarge'
        : problem === 'token'
          ? 'errors.formExpired'
          : 'errors.formUnreadable';
    return renderStep(
      c,
      step,
      { content: contentOf(c, draft), draft, errors: [], notices: [{ key, tone: 'error' }] },
      problem === 'too_large' ? 413 : 400,
    );
  }

  function stepOf(c: Context): FormStep | undefined {
    const id = c.req.param('step') ?? '';
    return (stepIds as readonly string[]).includes(id) ? stepById(id) : undefined;
  }

  /** The content a step page starts from: the draft's, or a new one. */
  function contentOf(c: Context, draft: StoredDraft | undefined): FormDraftContent {
    return draft?.status === 'open' ? readDraftContent(draft.content, formLanguage(c)) : emptyDraft(formLanguage(c));
  }

  function renderStepView(c: Context, step: FormStep, draft: StoredDraft | undefined) {
    const content = contentOf(c, draft);
    // Problems with answers already given are shown again; a question not answered yet is not a problem.
    const names = new Set(stepFieldNames(step, (group) => rowsOf(content, group)).map(({ name }) => name));
    const errors = interpretForm(content, latestDate()).errors.filter(
      (error) => names.has(error.field) && (content.values[error.field] ?? '') !== '',
    );
    const notices: Notice[] | undefined =
      draft?.status === 'submitted' ? [{ key: 'form.newReport', tone: 'info' }] : undefined;
    return renderStep(c, step, { content, draft, errors, ...(notices ? { notices } : {}) });
  }

  // A step by its own address, as links made before `/report` was the form's one address.
  app.get('/report/:step', async (c) => {
    const step = stepOf(c);
    if (!step) return c.notFound();
    const draft = await currentDraft(c);
    if (step.id === 'review') return draft?.status === 'open' ? renderReview(c, draft) : renderStart(c, draft);
    return renderStepView(c, step, draft);
  });

  /** Reads a step's post: files only on the evidence step (see saveStep), the page's token checked first. */
  async function readStepPost(c: Context, filesExpected: boolean) {
    const { maxBytes } = dependencies.evidence.limits;
    const read = await readFormWithEvidence(c, {
      limits: filesExpected ? formLimits.evidence(maxBytes, limits.evidenceFiles) : formLimits.text,
      evidence: dependencies.evidence,
      tokenMatches: (token) => browserFormTokenMatches(cipher, c, token),
    });
    return { form: read.fields, uploaded: read.files.map((file) => file.result) };
  }

  // Every page of the form posts here, naming its step; the answer is the next page at the same address.
  app.post('/report', async (c) => {
    const view = viewOf(c);
    let posted: { form: FormFields; uploaded: UploadedEvidence[] };
    try {
      posted = await readStepPost(c, view === 'evidence');
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      const shown = view === 'urgent' ? urgentStep : stepById(view);
      return shown && shown.id !== 'review' ? postRefused(c, shown, error.problem) : show(c, view);
    }
    const stepName = fieldText(posted.form, 'step');
    if (stepName === 'review') return submitPosted(c, posted.form);
    const step = stepName === 'urgent' ? urgentStep : stepById(stepName ?? '');
    if (!step || step.id === 'review') return show(c, 'start');
    return saveStep(c, step, posted.form, step.id === 'evidence' ? posted.uploaded : []);
  });

  app.post('/report/:step', async (c) => {
    const step = stepOf(c);
    if (!step || step.id === 'review') return c.notFound();
    let posted: { form: FormFields; uploaded: UploadedEvidence[] };
    try {
      posted = await readStepPost(c, step.id === 'evidence');
    } catch (error) {
      if (error instanceof FormBodyError) return postRefused(c, step, error.problem);
      throw error;
    }
    return saveStep(c, step, posted.form, posted.uploaded);
  });

  /**
   * Saves a step's answers (and, on the evidence step, its files; at most a report's ten in one post,
   * those past the report's room named with their reason), then answers with the page the action asks for.
   */
  async function saveStep(c: Context, step: FormStep, form: FormFields, uploaded: UploadedEvidence[]) {
    const { maxBytes } = dependencies.evidence.limits;
    const draft = await currentDraft(c);
    const before = contentOf(c, draft);
    const language = formLanguage(c, before);
    const posted = postedValues(step, form, before);
    const cleaned = JSON.stringify(posted) !== JSON.stringify(postedValues(step, form, before, false));
    const shownAsTyped = { ...before, values: { ...before.values, ...posted } };
    // A refused post shows the page again with everything typed still in place.
    if (!browserFormTokenMatches(cipher, c, fieldText(form, 'token'))) {
      return renderStep(
        c,
        step,
        { content: shownAsTyped, draft, errors: [], notices: [{ key: 'errors.formExpired', tone: 'error' }] },
        400,
      );
    }
    if (
      !(await savesPerBrowser.allow(existingBrowserSession(c)!)) ||
      (draft?.status !== 'open' && !(await newDraftsPerClient.allow(client(c))))
    ) {
      return renderStep(
        c,
        step,
        { content: shownAsTyped, draft, errors: [], notices: [{ key: 'errors.tooManyRequests', tone: 'error' }] },
        429,
      );
    }
    const action = fieldText(form, 'action') ?? 'next';
    const uploads =
      step.id === 'evidence' ? acceptUploadedFiles(uploaded, before.evidence, maxBytes) : { stored: [], errors: [] };
    const removed = fieldText(form, 'remove');

    const change = (stored: unknown): FormDraftContent => {
      const content = readDraftContent(stored, language);
      const rows = { ...content.rows };
      const addRow = /^addRow:(.+)$/.exec(action)?.[1];
      const group = addRow
        ? step.sections.find((section) => section.kind === 'repeated' && section.name === addRow)
        : undefined;
      if (group && group.kind === 'repeated') rows[group.name] = Math.min(group.maxRows, rowsOf(content, group) + 1);
      const evidence = [
        ...content.evidence.filter((item) => item.sha256 !== removed),
        ...uploads.stored.filter((item) => !content.evidence.some((kept) => kept.sha256 === item.sha256)),
      ];
      return { ...content, language, values: { ...content.values, ...posted }, rows, evidence };
    };
    const saved =
      draft?.status === 'open'
        ? await drafts.update(draft.id, change)
        : await drafts.create(change(emptyDraft(language)));
    if (saved.id !== draft?.id) bindDraft(c, saved);
    const content = readDraftContent(saved.content, language);

    const names = new Set(stepFieldNames(step, (section) => rowsOf(content, section)).map(({ name }) => name));
    const errors = [
      ...interpretForm(content, latestDate()).errors.filter((error) => names.has(error.field)),
      ...uploads.errors,
    ];
    if (uploads.errors.length > 0) return renderStep(c, step, { content, draft: saved, errors }, 400);
    // Invisible characters that were taken out: the reporter checks the answer before going on.
    if (cleaned)
      return renderStep(
        c,
        step,
        { content, draft: saved, errors, notices: [{ key: 'errors.textCleaned', tone: 'info' }] },
        200,
      );
    if (step.id === 'urgent') {
      if (action === 'send') {
        if (errors.length > 0) return renderStep(c, step, { content, draft: saved, errors }, 400);
        return submitDraft(c, saved, undefined, 'urgent');
      }
      return show(c, action === 'more' ? 'safety' : 'urgent');
    }
    const goTo = /^goto:(.+)$/.exec(action)?.[1];
    if (goTo && (views as readonly string[]).includes(goTo)) return show(c, goTo as FormView);
    if (action === 'back') return show(c, stepBefore(step.id as StepIdOfForm) ?? step.id);
    if (action !== 'next') return show(c, step.id);
    if (errors.length > 0) return renderStep(c, step, { content, draft: saved, errors }, 400);
    return show(c, stepAfter(step.id as StepIdOfForm) ?? 'review');
  }

  return app;
}

type StepIdOfForm = Exclude<FormStepId, 'urgent'>;

/** The tag of the sending browser that the content carries while it is sent (see submitDraft). */
function sentByOf(content: unknown): string | undefined {
  const tag = (content as { sentBy?: unknown } | null)?.sentBy;
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * The step's fields as posted; a question left unanswered is posted as
 * nothing and saved as such. Characters that must never be stored (see
 * cleanTypedText) are taken out unless `clean` is false.
 */
function postedValues(step: FormStep, form: FormFields, content: FormDraftContent, clean = true): FormValues {
  const values: FormValues = {};
  const asTyped = (value: unknown) =>
    typeof value === 'string' ? (clean ? cleanTypedText(value) : value).slice(0, maxTypedLength) : '';
  for (const { name, field } of stepFieldNames(step, (group) => rowsOf(content, group))) {
    const raw = form[name];
    values[name] =
      field.kind === 'countries' || field.kind === 'checks'
        ? ([] as unknown[])
            .concat(raw ?? [])
            .map(asTyped)
            .filter(Boolean)
            .slice(0, 250)
        : asTyped(Array.isArray(raw) ? raw[0] : raw);
  }
  return values;
}
