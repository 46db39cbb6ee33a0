import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../../intake/i18n/languages.js';
import type { Indicator } from '../../../intake/indicators/indicator.js';
import { countryChoices } from '../country-names.js';
import { fieldId } from './form-fields.js';
import { detailId } from './found-details.js';
import { formSteps, rowFieldName, stepOfField, type FormField, type FormStep } from './form-steps.js';
import { rowsOf, type FieldError, type FormDraftContent } from './form-values.js';
import { ErrorSummary, ResumeBox, StepNavigation } from './step-page.js';

export interface ReviewPageProps {
  t: TFunction;
  language: LanguageCode;
  content: FormDraftContent;
  errors: FieldError[];
  found: Indicator[];
  token: string;
  resume: { code: string; link: string };
  /** Why the last send did not go through (an expired page, too many tries). */
  notice?: string;
}

/** An answer as the reporter would say it: a country's name, "yes", the label of a choice. */
function shownValue(
  t: TFunction,
  language: LanguageCode,
  field: FormField,
  raw: string | string[] | undefined,
): string | undefined {
  const values = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [])
    .map((value) => value.trim())
    .filter(Boolean);
  if (values.length === 0) return undefined;
  const { alliance, others } = countryChoices(language);
  const country = (code: string) => [...alliance, ...others].find((choice) => choice.code === code)?.name ?? code;
  switch (field.kind) {
    case 'yesno':
      return values[0] === 'yes' ? t('form.yes') : values[0] === 'no' ? t('form.no') : values[0];
    case 'choice':
    case 'select':
    case 'checks':
      return values
        .map((value) => (field.options?.includes(value) ? t(`${field.optionKeyPrefix}.${value}`) : value))
        .join(', ');
    case 'country':
    case 'countries':
      return values.map(country).join(', ');
    case 'lines':
      return values.join('\n');
    default:
      return values.join(', ');
  }
}

function StepAnswers(props: ReviewPageProps & { step: FormStep }) {
  const { t, step, content, language } = props;
  const answers: Array<{ label: string; value: string }> = [];
  for (const section of step.sections) {
    if (section.kind === 'fields') {
      for (const field of section.fields) {
        const value = shownValue(t, language, field, content.values[field.name]);
        if (value !== undefined) answers.push({ label: t(`form.label.${field.name}`), value });
      }
      continue;
    }
    for (let row = 0; row < rowsOf(content, section); row += 1) {
      const parts = section.fields
        .map((field) => shownValue(t, language, field, content.values[rowFieldName(section, row, field)]))
        .filter((value): value is string => value !== undefined);
      if (parts.length > 0)
        answers.push({ label: t(`form.row.${section.id}`, { number: String(row + 1) }), value: parts.join(' · ') });
    }
  }
  if (step.id === 'evidence') {
    for (const file of content.evidence) answers.push({ label: t('form.evidence.file'), value: file.fileName });
  }
  return (
    <section class="review-step" aria-labelledby={`review-${step.id}`}>
      <h2 id={`review-${step.id}`}>{t(`form.step.${step.id}.title`)}</h2>
      {answers.length > 0 ? (
        <dl>
          {answers.map((answer) => (
            <>
              <dt>{answer.label}</dt>
              <dd>{answer.value}</dd>
            </>
          ))}
        </dl>
      ) : (
        <p class="hint">{t('form.review.nothing')}</p>
      )}
      <p>
        <a href={`/report?go=${step.id}`}>
          {t('form.review.change')}
          <span class="visually-hidden"> — {t(`form.step.${step.id}.title`)}</span>
        </a>
      </p>
    </section>
  );
}

/**
 * The last step: every answer to check (each with a link to change it), the
 * details found in the story to confirm, and the button that sends the report.
 */
export function ReviewPage(props: ReviewPageProps) {
  const { t, found } = props;
  const hrefOf = (error: FieldError) => `/report?go=${stepOfField(error.field) ?? 'safety'}#${fieldId(error.field)}`;
  return (
    <>
      <StepNavigation t={t} current="review" />
      <h1 data-message="form.step.review.title">{t('form.step.review.title')}</h1>
      <p>{t('form.step.review.intro')}</p>
      {props.notice ? (
        <p class="error" role="alert" data-message={props.notice}>
          {t(props.notice)}
        </p>
      ) : null}
      <ErrorSummary t={t} errors={props.errors} hrefOf={hrefOf} />
      {formSteps
        .filter((step) => step.id !== 'review')
        .map((step) => (
          <StepAnswers {...props} step={step} />
        ))}
      <form method="post" action="/report" autocomplete="off">
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="step" value="review" />
        {found.length > 0 ? (
          <fieldset class="found">
            <legend>{t('form.review.foundTitle')}</legend>
            <p class="hint">{t('form.review.foundHint')}</p>
            {found.map((indicator, index) => (
              <label class="checkbox" for={`found-${index}`}>
                <input type="checkbox" id={`found-${index}`} name="found" value={detailId(indicator)} checked />
                <span>
                  {t(`form.kind.${indicator.kind}`)}: <bdi>{indicator.original}</bdi>
                  {indicator.validity === 'invalid' ? (
                    <span class="hint"> — {t('form.review.looksMistyped')}</span>
                  ) : null}
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <p>
          <button type="submit" class="primary">
            {t('form.review.send')}
          </button>
        </p>
      </form>
      <ResumeBox t={t} resume={props.resume} />
    </>
  );
}
