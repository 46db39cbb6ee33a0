import { Hono, type Context } from 'hono';
import type { i18n, TFunction } from 'i18next';
import { z } from 'zod';
import type { CheckAnswer, Checks } from '../../intake/check/check-types.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { checkAdviceOrder } from '../../intake/conversation/check-mode.js';
import { formLimits } from '../http/form-limits.js';
import { fieldText, FormBodyError, readForm } from '../http/read-form.js';
import { visitorLanguage } from '../http/request-language.js';
import { browserFormToken, browserFormTokenMatches } from './browser-session.js';
import { webAskerKey } from './check-asker-key.js';
import { createCheckDisputePage } from './check-dispute-page.js';
import { publicPageResponse } from './public-page.js';
import { CheckCountryField, checkCountrySchema, suggestedCheckCountry } from './check-country.js';
import { publicPageHeaders } from './public-security.js';

export interface CheckPagesDependencies {
  i18n: i18n;
  cipher: FieldCipher;
  /** `intake.checks`: the check applies its own rate limits (per client and per channel). */
  checks: Pick<Checks, 'check' | 'dispute'>;
  trustProxy?: boolean;
}

/** The longest thing one check takes, in characters: a few numbers and a link, never a whole chat. */
export const maxCheckTextLength = 1_000;

/** What the check box posts, checked at the edge; the token is checked on its own first. */
const checkFormSchema = z.object({
  value: z.string().trim().min(1).max(maxCheckTextLength),
  country: checkCountrySchema.catch(undefined),
});

/**
 * The check box, on the landing page and under every answer: one field and a button, posted with the form's
 * anti-forgery token. It works without a script; nothing typed goes into an address.
 */
export function CheckBox(props: {
  t: TFunction;
  language: LanguageCode;
  token: string;
  value?: string;
  error?: string;
  /** The country a local number is read in, preselected (see check-country.tsx). */
  country?: string | undefined;
}) {
  const { t, language } = props;
  return (
    <form method="post" action={`/check?lang=${language}`} autocomplete="off" class="check-box">
      <input type="hidden" name="token" value={props.token} />
      <label for="check-value">{t('check.label')}</label>
      {props.error ? (
        <p class="error" role="alert" id="check-error" data-message={props.error}>
          {t(props.error, { max: String(maxCheckTextLength) })}
        </p>
      ) : null}
      <input
        type="text"
        id="check-value"
        name="value"
        maxlength={maxCheckTextLength}
        value={props.value ?? ''}
        {...(props.error ? { 'aria-invalid': 'true', 'aria-describedby': 'check-error' } : {})}
      />
      <CheckCountryField t={t} language={language} id="check-country" selected={props.country} />
      <p class="hint">{t('check.hint')}</p>
      <p>
        <button type="submit" class="primary">
          {t('check.submit')}
        </button>
      </p>
    </form>
  );
}

/** The answer: each thing checked with its verdict, the category's advice, and for a warning the dispute form. */
function CheckResult(props: { t: TFunction; messages: TFunction; language: LanguageCode; answer: CheckAnswer }) {
  const { t, messages, language, answer } = props;
  if (answer.kind !== 'checked') return null;
  const advice = new Set(answer.indicators.flatMap((indicator) => indicator.advice));
  if (advice.size === 0) advice.add('general');
  const warned = answer.indicators.some((indicator) => indicator.verdict === 'warning');
  return (
    <div class="check-result">
      {/* A warning stands out; no warning is not shown as good news: it does not mean safe. */}
      {answer.indicators.map((indicator) => (
        <section class={indicator.verdict === 'warning' ? 'urgent' : undefined} data-verdict={indicator.verdict}>
          <h2>
            {t(`form.kind.${indicator.kind}`)}: <bdi>{indicator.shown}</bdi>
          </h2>
          <p data-message={indicator.verdict === 'warning' ? 'check.warning' : 'check.noWarning'}>
            {t(indicator.verdict === 'warning' ? 'check.warning' : 'check.noWarning')}
          </p>
        </section>
      ))}
      <h2>{t('check.adviceTitle')}</h2>
      <ul class="check-advice">
        {checkAdviceOrder
          .filter((key) => advice.has(key))
          .map((key) => (
            <li data-advice={key}>{messages(`check.advice.${key}`)}</li>
          ))}
      </ul>
      {warned ? (
        <p class="check-dispute">
          {t('check.disputeAsk')}{' '}
          <a href={`/check/dispute?lang=${language}`} data-link="dispute">
            {t('check.disputeLink')}
          </a>
        </p>
      ) : null}
    </div>
  );
}

/**
 * "Check before you pay" on the web: `/check` (the box alone, and its answer) and `/check/dispute` (the owner of a
 * number says a warning is wrong). The answer page is a public page like every other: the neutral title, the quick
 * exit, no caching. What was typed is neither stored nor put in an address; only the check's counters see who asked.
 */
export function createCheckPages(dependencies: CheckPagesDependencies) {
  const { i18n, cipher, checks } = dependencies;
  const trustProxy = dependencies.trustProxy ?? false;
  const app = new Hono();
  app.use('/check', ...publicPageHeaders);
  app.use('/check/*', ...publicPageHeaders);

  function page(
    c: Context,
    body: { answer?: CheckAnswer; value?: string; error?: string; country?: string | undefined },
    status: 200 | 400 | 413 | 429 = 200,
  ) {
    const language = visitorLanguage(c);
    const t = i18n.getFixedT(language, 'portal');
    const messages = i18n.getFixedT(language, 'messages');
    const answer = body.answer;
    const notice =
      answer?.kind === 'nothing_recognised'
        ? 'check.nothingRecognised'
        : answer?.kind === 'rate_limited'
          ? 'check.rateLimited'
          : undefined;
    const minutes = answer?.kind === 'rate_limited' ? Math.max(1, Math.ceil(answer.retryAfterSeconds / 60)) : 1;
    return publicPageResponse(c, i18n, {
      language,
      status,
      body: (
        <main>
          <h1>{t(answer?.kind === 'checked' ? 'check.resultTitle' : 'check.title')}</h1>
          {answer ? null : <p>{t('check.intro')}</p>}
          {notice ? (
            <p class="error" role="alert" data-message={notice}>
              {t(notice, { minutes: String(minutes) })}
            </p>
          ) : null}
          {answer ? <CheckResult t={t} messages={messages} language={language} answer={answer} /> : null}
          {answer?.kind === 'checked' ? <h2>{t('check.again')}</h2> : null}
          <CheckBox
            t={t}
            language={language}
            token={browserFormToken(cipher, c)}
            country={'country' in body ? body.country : suggestedCheckCountry(c, language)}
            {...(body.value !== undefined ? { value: body.value } : {})}
            {...(body.error ? { error: body.error } : {})}
          />
          <p>
            <a href={`/?lang=${language}`}>{t('check.home')}</a>
          </p>
        </main>
      ),
    });
  }

  app.get('/check', (c) => page(c, {}));

  app.post('/check', async (c) => {
    let fields;
    try {
      fields = (await readForm(c, { limits: formLimits.small })).fields;
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      return page(c, { error: error.problem === 'too_large' ? 'check.tooLong' : 'errors.formUnreadable' }, 400);
    }
    const typed = fieldText(fields, 'value') ?? '';
    const country = checkCountrySchema.catch(undefined).parse(fieldText(fields, 'country') || undefined);
    // A refused post shows the box again with what was typed (and the country chosen) still in it.
    const kept = { value: typed.slice(0, maxCheckTextLength), country };
    if (!browserFormTokenMatches(cipher, c, fieldText(fields, 'token')))
      return page(c, { ...kept, error: 'errors.formExpired' }, 400);
    const parsed = checkFormSchema.safeParse({ value: cleanTypedText(typed), country });
    if (!parsed.success) {
      const tooLong = typed.trim().length > maxCheckTextLength;
      return page(c, { ...kept, error: tooLong ? 'check.tooLong' : 'check.empty' }, 400);
    }
    const answer = await checks.check({
      text: parsed.data.value,
      channel: 'web',
      askerKey: webAskerKey(c, trustProxy),
      ...(parsed.data.country ? { countryHint: parsed.data.country } : {}),
    });
    // The box under the answer starts empty: the answer names what was checked.
    return page(
      c,
      { answer, country, ...(answer.kind === 'checked' ? {} : { value: parsed.data.value }) },
      answer.kind === 'rate_limited' ? 429 : 200,
    );
  });

  app.route('/', createCheckDisputePage({ i18n, cipher, checks, trustProxy }));
  return app;
}
