import { Hono, type Context } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import type { Checks, DisputeAnswer } from '../../intake/check/check-types.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { fieldText, FormBodyError, readForm, type FormLimits } from '../http/read-form.js';
import { visitorLanguage } from '../http/request-language.js';
import { browserFormToken, browserFormTokenMatches } from './browser-session.js';
import { webAskerKey } from './check-asker-key.js';
import { publicPageResponse } from './public-page.js';
import { CheckCountryField, checkCountrySchema, suggestedCheckCountry } from './check-country.js';

/** The dispute form's fields, in characters. */
export const disputeLimits = { value: 1_000, explanation: 2_000, contact: 200 } as const;

/** The dispute form's body: three short fields and the token (2,000 characters of up to four bytes at most). */
const disputeFormLimits: FormLimits = { maxBytes: 32 * 1024, maxFields: 10, maxFieldBytes: 12 * 1024, maxFiles: 0 };

const disputeFormSchema = z.object({
  value: z.string().trim().min(1).max(disputeLimits.value),
  explanation: z.string().trim().min(1).max(disputeLimits.explanation),
  contact: z.string().trim().max(disputeLimits.contact).optional(),
});
type DisputeField = keyof typeof disputeLimits;

interface DisputeForm {
  value: string;
  explanation: string;
  contact: string;
  country?: string | undefined;
}

/** The translated problem of each field (or of the whole post), as the form shows it beside the field. */
type DisputeProblems = Partial<Record<DisputeField | 'form', string>>;

/**
 * `/check/dispute`: the owner of a number, an account or a site that is warned about says why the warning is wrong.
 * It calls `intake.checks.dispute()`, which stores it for staff to review (audited) and answers with a reference.
 * A refused post shows the form again with everything typed still in it.
 */
export function createCheckDisputePage(dependencies: {
  i18n: i18n;
  cipher: FieldCipher;
  checks: Pick<Checks, 'dispute'>;
  trustProxy: boolean;
}) {
  const { i18n, cipher, checks, trustProxy } = dependencies;
  const app = new Hono();

  function form(
    c: Context,
    typed: DisputeForm,
    problems: DisputeProblems,
    status: 200 | 400 | 429 = 200,
    retryAfterMinutes = 1,
  ) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const problem = (field: DisputeField) =>
      problems[field] ? (
        <p class="error" id={`dispute-${field}-error`} data-message={problems[field]}>
          {t(problems[field], { max: String(disputeLimits[field]) })}
        </p>
      ) : null;
    const invalid = (field: DisputeField) =>
      problems[field] ? { 'aria-invalid': 'true', 'aria-describedby': `dispute-${field}-error` } : {};
    return publicPageResponse(c, i18n, {
      language,
      status,
      body: (
        <main>
          <h1>{t('check.dispute.title')}</h1>
          <p>{t('check.dispute.intro')}</p>
          {problems.form ? (
            <p class="error" role="alert" data-message={problems.form}>
              {t(problems.form, { minutes: String(retryAfterMinutes) })}
            </p>
          ) : null}
          <form method="post" action={`/check/dispute?lang=${language}`} autocomplete="off">
            <input type="hidden" name="token" value={browserFormToken(cipher, c)} />
            <div class="field">
              <label for="dispute-value">{t('check.dispute.valueLabel')}</label>
              {problem('value')}
              <input
                type="text"
                id="dispute-value"
                name="value"
                maxlength={disputeLimits.value}
                value={typed.value}
                {...invalid('value')}
              />
            </div>
            <div class="field">
              <CheckCountryField
                t={t}
                language={language}
                id="dispute-country"
                selected={'country' in typed ? typed.country : suggestedCheckCountry(c, language)}
              />
            </div>
            <div class="field">
              <label for="dispute-explanation">{t('check.dispute.explanationLabel')}</label>
              {problem('explanation')}
              <textarea
                id="dispute-explanation"
                name="explanation"
                rows={5}
                maxlength={disputeLimits.explanation}
                {...invalid('explanation')}
              >
                {typed.explanation}
              </textarea>
            </div>
            <div class="field">
              <label for="dispute-contact">{t('check.dispute.contactLabel')}</label>
              {problem('contact')}
              <input
                type="text"
                id="dispute-contact"
                name="contact"
                maxlength={disputeLimits.contact}
                value={typed.contact}
                {...invalid('contact')}
              />
              <p class="hint">{t('check.dispute.contactHint')}</p>
            </div>
            <p>
              <button type="submit" class="primary">
                {t('check.dispute.submit')}
              </button>
            </p>
          </form>
        </main>
      ),
    });
  }

  function received(c: Context, answer: Extract<DisputeAnswer, { kind: 'received' }>) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    return publicPageResponse(c, i18n, {
      language,
      body: (
        <main>
          <h1 data-message="check.dispute.receivedTitle">{t('check.dispute.receivedTitle')}</h1>
          <p>{t('check.dispute.receivedText')}</p>
          <p class="receipt-line">
            {t('check.dispute.reference')} <bdi class="code">{answer.reference}</bdi>
          </p>
          <p>
            <a href={`/?lang=${language}`}>{t('check.home')}</a>
          </p>
        </main>
      ),
    });
  }

  app.get('/check/dispute', (c) => form(c, { value: '', explanation: '', contact: '' }, {}));

  app.post('/check/dispute', async (c) => {
    let fields;
    try {
      fields = (await readForm(c, { limits: disputeFormLimits })).fields;
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      const key = error.problem === 'too_large' ? 'check.dispute.tooLong' : 'errors.formUnreadable';
      return form(c, { value: '', explanation: '', contact: '' }, { form: key }, 400);
    }
    const typed: DisputeForm = {
      value: (fieldText(fields, 'value') ?? '').slice(0, disputeLimits.value),
      explanation: (fieldText(fields, 'explanation') ?? '').slice(0, disputeLimits.explanation),
      contact: (fieldText(fields, 'contact') ?? '').slice(0, disputeLimits.contact),
      country: checkCountrySchema.catch(undefined).parse(fieldText(fields, 'country') || undefined),
    };
    if (!browserFormTokenMatches(cipher, c, fieldText(fields, 'token')))
      return form(c, typed, { form: 'errors.formExpired' }, 400);
    const parsed = disputeFormSchema.safeParse({
      value: cleanTypedText(fieldText(fields, 'value') ?? ''),
      explanation: cleanTypedText(fieldText(fields, 'explanation') ?? ''),
      contact: cleanTypedText(fieldText(fields, 'contact') ?? ''),
    });
    if (!parsed.success) {
      const problems: DisputeProblems = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as DisputeField;
        problems[field] = issue.code === 'too_big' ? 'check.dispute.fieldTooLong' : `check.dispute.${field}Missing`;
      }
      return form(c, typed, problems, 400);
    }
    const { value, explanation, contact } = parsed.data;
    const answer = await checks.dispute({
      text: value,
      explanation,
      ...(contact ? { contact } : {}),
      language: visitorLanguage(c),
      ...(typed.country ? { countryHint: typed.country } : {}),
      channel: 'web',
      askerKey: webAskerKey(c, trustProxy),
    });
    if (answer.kind === 'received') return received(c, answer);
    if (answer.kind === 'nothing_recognised') return form(c, typed, { value: 'check.dispute.nothingRecognised' }, 400);
    return form(c, typed, { form: 'check.rateLimited' }, 429, Math.max(1, Math.ceil(answer.retryAfterSeconds / 60)));
  });

  return app;
}
