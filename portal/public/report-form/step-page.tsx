import type { TFunction } from 'i18next';
import type { EmergencyContactView } from '../../../intake/conversation/conversation-types.js';
import type { LanguageCode } from '../../../intake/i18n/languages.js';
import { formLimits } from '../../http/form-limits.js';
import { EmergencyContactList } from '../emergency-contact-list.js';
import { CurrencyList, fieldId, FormFieldView } from './form-fields.js';
import {
  rowFieldName,
  rowTextKey,
  stepBefore,
  stepIds,
  textKeyOf,
  type FormSection,
  type FormStep,
  type StepId,
} from './form-steps.js';
import { limits, rowsOf, type FieldError, type FormDraftContent } from './form-values.js';

export interface Notice {
  key: string;
  params?: Record<string, string>;
  tone: 'error' | 'info';
}

export interface StepPageProps {
  t: TFunction;
  language: LanguageCode;
  step: FormStep;
  content: FormDraftContent;
  errors: FieldError[];
  token: string;
  /** Shown once a draft exists: how to come back to it. */
  resume?: { code: string; link: string };
  /** Someone in danger or held: the numbers to call, on every page. */
  urgentContacts?: EmergencyContactView[];
  /** Notices above the form: a problem with the post itself, or news such as "this is a new report". */
  notices?: Notice[];
}

/** The steps as a list of links: a reporter can go to any of them, in any order. */
export function StepNavigation(props: { t: TFunction; current: StepId }) {
  return (
    <nav aria-label={props.t('form.stepsLabel')}>
      <ol class="steps">
        {stepIds.map((id, index) => (
          <li>
            <a href={`/report?go=${id}`} aria-current={id === props.current ? 'step' : undefined}>
              <span class="step-number">{index + 1}</span> {props.t(`form.step.${id}.title`)}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Every problem of the page at its top, each a link to its field (read first by a screen reader). */
export function ErrorSummary(props: { t: TFunction; errors: FieldError[]; hrefOf?: (error: FieldError) => string }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="problems">
      <h2>{props.t('form.problemsTitle')}</h2>
      <ul>
        {props.errors.map((error) => (
          <li data-message={error.key}>
            <a href={props.hrefOf ? props.hrefOf(error) : `#${fieldId(error.field)}`}>
              {props.t(`form.label.${textKeyOf(error.field)}`)}: {props.t(error.key, error.params)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ResumeBox(props: { t: TFunction; resume: { code: string; link: string } }) {
  return (
    <aside class="resume" aria-labelledby="resume-title">
      <h2 id="resume-title">{props.t('form.resume.savedTitle')}</h2>
      <p>{props.t('form.resume.keepCode')}</p>
      <p class="code">
        <strong>
          <bdi>{props.resume.code}</bdi>
        </strong>
      </p>
      <details>
        <summary>{props.t('form.resume.whereTitle')}</summary>
        <p class="hint">{props.t('form.resume.whereHint')}</p>
        <p class="code-link">
          <bdi>{props.resume.link}</bdi>
        </p>
      </details>
    </aside>
  );
}

function Section(props: StepPageProps & { section: FormSection }) {
  const { t, section, content, errors } = props;
  const errorOf = (name: string) => errors.find((error) => error.field === name);
  if (section.kind === 'fields') {
    if (section.shownWhen && !section.shownWhen(content.values)) return null;
    const fields = section.fields.map((field) => (
      <FormFieldView
        t={t}
        language={props.language}
        field={field.optionsFor ? { ...field, options: field.optionsFor(content.values) } : field}
        name={field.name}
        textKey={field.name}
        value={content.values[field.name]}
        error={errorOf(field.name)}
      />
    ));
    if (!section.id) return <>{fields}</>;
    if (!section.foldedUnless) {
      return (
        <section class="group" aria-labelledby={`group-${section.id}`}>
          <h2 id={`group-${section.id}`}>{t(`form.group.${section.id}`)}</h2>
          {fields}
        </section>
      );
    }
    // Questions for some reporters only: folded, and open when they concern this one (or hold an answer or an error).
    const open =
      section.foldedUnless(content.values) ||
      section.fields.some((field) => errorOf(field.name) || (content.values[field.name] ?? '') !== '');
    return (
      <details class="group" open={open}>
        <summary>{t(`form.group.${section.id}`)}</summary>
        {fields}
      </details>
    );
  }
  const rows = rowsOf(content, section);
  return (
    <section class="group" aria-labelledby={`group-${section.id}`}>
      <h2 id={`group-${section.id}`}>{t(`form.group.${section.id}`)}</h2>
      {Array.from({ length: rows }, (_, row) => (
        <fieldset class="row">
          <legend>{t(`form.row.${section.id}`, { number: String(row + 1) })}</legend>
          {section.fields.map((field) => {
            const name = rowFieldName(section, row, field);
            return (
              <FormFieldView
                t={t}
                language={props.language}
                field={field}
                name={name}
                textKey={rowTextKey(section, field)}
                value={content.values[name]}
                error={errorOf(name)}
              />
            );
          })}
        </fieldset>
      ))}
      {rows < section.maxRows ? (
        <button type="submit" name="action" value={`addRow:${section.name}`}>
          {t(`form.add.${section.id}`)}
        </button>
      ) : null}
    </section>
  );
}

function EvidenceSection(props: StepPageProps) {
  const { t, content } = props;
  const number = new Intl.NumberFormat(props.language, { maximumFractionDigits: 1 });
  // A screenshot is a few hundred KB: "0 MB" would look like an empty file.
  const size = (bytes: number) =>
    bytes < 1024 * 1024
      ? `${number.format(Math.max(1, Math.round(bytes / 1024)))} KB`
      : `${number.format(bytes / (1024 * 1024))} MB`;
  const full = content.evidence.length >= limits.evidenceFiles;
  return (
    <>
      {content.evidence.length > 0 ? (
        <ul class="files">
          {content.evidence.map((file) => (
            <li>
              <span>
                {file.fileName} ({t(file.mediaType === 'application/pdf' ? 'form.evidence.pdf' : 'form.evidence.image')}
                , {size(file.size)})
              </span>{' '}
              <button
                type="submit"
                name="remove"
                value={file.sha256}
                aria-label={t('form.evidence.removeNamed', { name: file.fileName })}
              >
                {t('form.evidence.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('form.evidence.none')}</p>
      )}
      {full ? (
        <p class="hint">{t('form.evidence.full', { max: String(limits.evidenceFiles) })}</p>
      ) : (
        <div class="field">
          <label for="f-files">{t('form.evidence.choose')}</label>
          <p class="hint" id="f-files-hint">
            {t('form.evidence.hint', { max: String(limits.evidenceFiles) })}
          </p>
          <input
            type="file"
            id="f-files"
            name="files"
            multiple
            accept="image/*,application/pdf"
            aria-describedby="f-files-hint"
          />
          <p>
            <button type="submit" name="action" value="upload">
              {t('form.evidence.upload')}
            </button>
          </p>
        </div>
      )}
    </>
  );
}

function Notices(props: { t: TFunction; notices: Notice[] | undefined }) {
  return (
    <>
      {(props.notices ?? []).map((notice) => (
        <p
          class={notice.tone === 'error' ? 'error' : 'notice'}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-message={notice.key}
        >
          {props.t(notice.key, notice.params)}
        </p>
      ))}
    </>
  );
}

/**
 * A text step's size, for form-size.js to check before the browser sends it: over the server's limits the post
 * is refused whole (413) and, without a script, what was typed is lost; with it, the page keeps it and says why.
 */
function sizeLimits(step: FormStep) {
  return step.id === 'evidence'
    ? {}
    : {
        'data-max-bytes': String(formLimits.text.maxBytes),
        'data-max-field-bytes': String(formLimits.text.maxFieldBytes),
      };
}

/** The script's notice, hidden until a post would be too large. */
function TooLargeNotice(props: { t: TFunction }) {
  return (
    <p class="error" role="alert" tabindex={-1} hidden data-too-large data-message="form.error.textTooLargeKept">
      {props.t('form.error.textTooLargeKept')}
    </p>
  );
}

/**
 * "Send now": the short page for someone in danger. Its questions and its send
 * button come first, on the first screen of a phone; the numbers to call and
 * the way to the full form follow.
 */
function UrgentPage(props: StepPageProps) {
  const { t, step } = props;
  return (
    <>
      <h1 data-message="form.step.urgent.title">{t('form.step.urgent.title')}</h1>
      <p>{t('form.step.urgent.intro')}</p>
      <ErrorSummary t={t} errors={props.errors} />
      <Notices t={t} notices={props.notices} />
      <form method="post" action="/report" autocomplete="off" novalidate {...sizeLimits(step)}>
        <TooLargeNotice t={t} />
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="step" value="urgent" />
        <button type="submit" name="action" value="send" class="visually-hidden" tabindex={-1} aria-hidden="true">
          {t('form.urgent.send')}
        </button>
        {step.sections.map((section) => (
          <Section {...props} section={section} />
        ))}
        <div class="form-buttons">
          <button type="submit" name="action" value="send" class="primary">
            {t('form.urgent.send')}
          </button>
          <button type="submit" name="action" value="more">
            {t('form.urgent.more')}
          </button>
        </div>
      </form>
      {props.urgentContacts ? (
        <aside class="urgent" aria-labelledby="urgent-title">
          <h2 id="urgent-title">{t('form.urgent.title')}</h2>
          <EmergencyContactList contacts={props.urgentContacts} emptyText={t('landing.noNumbers')} />
        </aside>
      ) : null}
      {props.resume ? <ResumeBox t={t} resume={props.resume} /> : null}
    </>
  );
}

/** One step of the form: its questions, its errors beside them, and the way on. */
export function StepPage(props: StepPageProps) {
  const { t, step } = props;
  if (step.id === 'urgent') return <UrgentPage {...props} />;
  const stepId = step.id;
  const previous = stepBefore(stepId);
  return (
    <>
      <StepNavigation t={t} current={stepId} />
      <h1 data-message={`form.step.${step.id}.title`}>{t(`form.step.${step.id}.title`)}</h1>
      <p>{t(`form.step.${step.id}.intro`)}</p>
      {props.urgentContacts ? (
        <aside class="urgent" aria-labelledby="urgent-title">
          <h2 id="urgent-title">{t('form.urgent.title')}</h2>
          <EmergencyContactList contacts={props.urgentContacts} emptyText={t('landing.noNumbers')} />
          {step.id !== 'about' ? (
            <p>
              <a class="button primary" href="/report?go=urgent">
                {t('form.urgent.sendNow')}
              </a>
            </p>
          ) : null}
        </aside>
      ) : null}
      <ErrorSummary t={t} errors={props.errors} />
      <Notices t={t} notices={props.notices} />
      <form
        method="post"
        action="/report"
        enctype={step.id === 'evidence' ? 'multipart/form-data' : 'application/x-www-form-urlencoded'}
        autocomplete="off"
        novalidate
        {...sizeLimits(step)}
      >
        {step.id === 'evidence' ? null : <TooLargeNotice t={t} />}
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="step" value={step.id} />
        {/* The first button is the one Enter presses: saving and going on. */}
        <button type="submit" name="action" value="next" class="visually-hidden" tabindex={-1} aria-hidden="true">
          {t('form.next')}
        </button>
        {step.id === 'evidence' ? (
          <EvidenceSection {...props} />
        ) : (
          step.sections.map((section) => <Section {...props} section={section} />)
        )}
        {step.id === 'money' ? <CurrencyList /> : null}
        <div class="form-buttons">
          <button type="submit" name="action" value="next" class="primary">
            {t('form.next')}
          </button>
          {step.id === 'safety' ? (
            // Someone in danger sends at once from here: the short urgent page asks only for consent.
            <button type="submit" name="action" value="goto:urgent" class="send-now">
              {t('form.urgent.sendNow')}
            </button>
          ) : null}
          {previous ? (
            <button type="submit" name="action" value="back">
              {t('form.back')}
            </button>
          ) : null}
        </div>
        <p class="hint">{t('form.savedEachStep')}</p>
      </form>
      {props.resume ? <ResumeBox t={t} resume={props.resume} /> : null}
    </>
  );
}
