import {
  ageBands,
  incidentCategories,
  paymentMethods,
  screeningIndicators,
} from '../../../intake/report/report-schema.js';
import { formCallsForScreening, formScreeningOptions } from './screening-fields.js';

/**
 * The web form as data: its steps, in the order a reporter meets them, and
 * each step's fields, named by their path in the report model
 * (`incident.narrative`, `losses.payments.0.amount`). Rendering, saving and
 * validation all read this list; adding a question means adding it here and
 * its texts in `locales/<lang>/portal.json` (`form.label.<name>`, and
 * `form.hint.<name>` when it has a hint).
 */
export type FieldKind =
  /** One line, at most 500 characters. */
  | 'text'
  /** Free text, at most 20,000 characters. */
  | 'story'
  /** Several short answers, one per line. */
  | 'lines'
  /** A few short answers on one line, separated by commas. */
  | 'commaList'
  /** Yes, no, or not answered. */
  | 'yesno'
  /** One of a few options, as radio buttons. */
  | 'choice'
  /** One of many options, as a select. */
  | 'select'
  /** Any of a few options, as checkboxes. */
  | 'checks'
  | 'country'
  | 'countries'
  | 'date'
  | 'count'
  | 'amount'
  | 'currency';

export interface FormField {
  /** Path in the report model; inside a repeated group, relative to a row. */
  name: string;
  kind: FieldKind;
  options?: readonly string[];
  /** Where an option's label is: `<prefix>.<option>` (namespaced keys allowed). */
  optionKeyPrefix?: string;
  /** The options to show, given what was answered so far (any of `options` is still accepted). */
  optionsFor?: (values: FormValues) => readonly string[];
  hint?: boolean;
  /** Consent: the one answer a report cannot go without. */
  required?: boolean;
  autocomplete?: string;
}

export interface FieldGroup {
  kind: 'fields';
  /** Key of the group's heading, if it has one (`form.group.<id>`). */
  id?: string;
  fields: FormField[];
  /** Shown folded (a native <details>) unless this says it concerns the reporter. */
  foldedUnless?: (values: FormValues) => boolean;
  /** Shown only when this says it concerns the reporter (the trafficking screening). */
  shownWhen?: (values: FormValues) => boolean;
}

export interface RepeatedGroup {
  kind: 'repeated';
  /** The list in the report model, e.g. `losses.payments`. */
  name: string;
  /** Texts: `form.group.<id>`, `form.add.<id>`, `form.row.<id>`. */
  id: string;
  fields: FormField[];
  maxRows: number;
}

export type FormSection = FieldGroup | RepeatedGroup;

export const stepIds = ['safety', 'incident', 'money', 'contacts', 'evidence', 'about', 'review'] as const;
export type StepId = (typeof stepIds)[number];

/** The steps in order, and the urgent page: consent and a safe way to contact, sent at once. */
export type FormStepId = StepId | 'urgent';

export interface FormStep {
  id: FormStepId;
  sections: FormSection[];
}

/** What a reporter typed, as typed: a field's text, or the options ticked. */
export type FormValues = Record<string, string | string[]>;

const yesno = (name: string, extra: Partial<FormField> = {}): FormField => ({ name, kind: 'yesno', ...extra });
const text = (name: string, extra: Partial<FormField> = {}): FormField => ({ name, kind: 'text', ...extra });
const lines = (name: string): FormField => ({ name, kind: 'lines', hint: true });

const saidYes =
  (...names: string[]) =>
  (values: FormValues) =>
    names.some((name) => values[name] === 'yes');

export const formSteps: ReadonlyArray<FormStep & { id: StepId }> = [
  {
    id: 'safety',
    sections: [
      {
        kind: 'fields',
        fields: [
          yesno('safety.inImmediateDanger'),
          yesno('safety.heldAgainstWill'),
          { name: 'victim.currentCountry', kind: 'country', hint: true },
          text('victim.currentPlace', { hint: true }),
          yesno('safety.passportWithheld'),
          yesno('safety.minorInvolved'),
          text('safety.safeContactMethod', { hint: true }),
          text('safety.safeContactTime', { hint: true }),
        ],
      },
    ],
  },
  {
    id: 'incident',
    sections: [
      {
        kind: 'fields',
        fields: [
          {
            name: 'reporterRole',
            kind: 'choice',
            options: ['victim', 'family_or_friend', 'witness'],
            optionKeyPrefix: 'form.option.reporterRole',
          },
          {
            name: 'incident.category',
            kind: 'choice',
            options: incidentCategories,
            optionKeyPrefix: 'conversation:categories',
          },
          { name: 'incident.narrative', kind: 'story', hint: true },
          { name: 'incident.firstContactDate', kind: 'date', hint: true },
          text('incident.firstContactPlatform', { hint: true }),
          yesno('incident.ongoing'),
        ],
      },
      {
        kind: 'fields',
        id: 'trafficking',
        foldedUnless: (values) =>
          values['incident.category'] === 'fake_job_compound' ||
          saidYes('safety.heldAgainstWill', 'safety.passportWithheld')(values),
        fields: [
          text('trafficking.promisedJob'),
          text('trafficking.promisedSalary'),
          text('trafficking.destination'),
          text('trafficking.route', { hint: true }),
          text('suspects.compound.name'),
          text('suspects.compound.place'),
          { name: 'suspects.compound.country', kind: 'country' },
          text('trafficking.debtOrRansomDemanded'),
          { name: 'trafficking.othersHeldCount', kind: 'count' },
          { name: 'trafficking.othersHeldNationalities', kind: 'countries', hint: true },
          yesno('trafficking.embassyContacted'),
        ],
      },
    ],
  },
  {
    id: 'money',
    sections: [
      {
        // The trafficking screening, right after the story and only when it points that way (screening-fields.ts).
        kind: 'fields',
        id: 'screening',
        shownWhen: formCallsForScreening,
        fields: [
          {
            name: 'screening.indicators',
            kind: 'checks',
            options: screeningIndicators,
            optionsFor: formScreeningOptions,
            optionKeyPrefix: 'screening.option',
            hint: true,
          },
        ],
      },
      {
        kind: 'repeated',
        name: 'losses.payments',
        id: 'payments',
        maxRows: 20,
        fields: [
          { name: 'amount', kind: 'amount', hint: true },
          { name: 'currency', kind: 'currency', hint: true },
          { name: 'date', kind: 'date' },
          { name: 'method', kind: 'select', options: paymentMethods, optionKeyPrefix: 'form.option.paymentMethod' },
          text('fromInstitution', { hint: true }),
          text('toAccount', { hint: true }),
          text('transactionHash', { hint: true }),
        ],
      },
      { kind: 'fields', fields: [yesno('losses.freezeRequested', { hint: true }), text('losses.bankCaseNumber')] },
    ],
  },
  {
    id: 'contacts',
    sections: [
      {
        kind: 'fields',
        fields: [
          lines('suspects.names'),
          lines('suspects.phones'),
          lines('suspects.messengerHandles'),
          lines('suspects.emails'),
          lines('suspects.websites'),
          lines('suspects.socialProfiles'),
          lines('suspects.bankAccounts'),
          lines('suspects.wallets'),
        ],
      },
    ],
  },
  { id: 'evidence', sections: [] },
  {
    id: 'about',
    sections: [
      {
        kind: 'fields',
        fields: [
          text('victim.nameOrAlias', { hint: true }),
          { name: 'victim.ageBand', kind: 'select', options: ageBands, optionKeyPrefix: 'form.option.ageBand' },
          { name: 'victim.nationality', kind: 'country' },
          { name: 'victim.residenceCountry', kind: 'country' },
          { name: 'victim.languagesSpoken', kind: 'commaList', hint: true },
        ],
      },
      {
        kind: 'fields',
        id: 'reporter',
        fields: [
          text('reporter.name', { autocomplete: 'off' }),
          text('reporter.contact', { hint: true }),
          text('reporter.phone', { autocomplete: 'off' }),
        ],
      },
      {
        kind: 'repeated',
        name: 'earlierReports',
        id: 'earlierReports',
        maxRows: 20,
        fields: [text('agency'), text('referenceNumber')],
      },
      {
        kind: 'fields',
        id: 'consent',
        fields: [
          yesno('consent.shareWithLawEnforcement', { required: true, hint: true }),
          yesno('consent.contactBack', { hint: true }),
        ],
      },
    ],
  },
  { id: 'review', sections: [] },
];

export function stepById(id: string): (FormStep & { id: StepId }) | undefined {
  return formSteps.find((step) => step.id === id);
}

export function stepAfter(id: StepId): StepId | undefined {
  return stepIds[stepIds.indexOf(id) + 1];
}

export function stepBefore(id: StepId): StepId | undefined {
  const index = stepIds.indexOf(id);
  return index > 0 ? stepIds[index - 1] : undefined;
}

/** The name a field of a repeated group has in row `row`: `losses.payments.2.amount`. */
export function rowFieldName(group: RepeatedGroup, row: number, field: FormField): string {
  return `${group.name}.${row}.${field.name}`;
}

/** The text key of a field of a repeated group: `payments.amount` (`form.label.<key>`, `form.hint.<key>`). */
export function rowTextKey(group: RepeatedGroup, field: FormField): string {
  return `${group.id}.${field.name}`;
}

/**
 * The text key of a field as posted: `losses.payments.2.amount` → `payments.amount`; other fields are their own key.
 */
export function textKeyOf(name: string): string {
  for (const step of formSteps) {
    for (const section of step.sections) {
      if (section.kind !== 'repeated' || !name.startsWith(`${section.name}.`)) continue;
      const field = section.fields.find((candidate) => name.endsWith(`.${candidate.name}`));
      if (field) return rowTextKey(section, field);
    }
  }
  return name;
}

/** Every field name of a step as posted, for the rows it has now. */
export function stepFieldNames(
  step: FormStep,
  rows: (group: RepeatedGroup) => number,
): Array<{ name: string; field: FormField }> {
  return step.sections.flatMap((section) =>
    section.kind === 'fields'
      ? section.fields.map((field) => ({ name: field.name, field }))
      : Array.from({ length: rows(section) }, (_, row) =>
          section.fields.map((field) => ({ name: rowFieldName(section, row, field), field })),
        ).flat(),
  );
}

/** The step a field is asked on, to link an error to the page that fixes it. */
export function stepOfField(name: string): StepId | undefined {
  for (const step of formSteps) {
    for (const section of step.sections) {
      if (section.kind === 'fields' && section.fields.some((field) => field.name === name)) return step.id;
      if (section.kind === 'repeated' && name.startsWith(`${section.name}.`)) return step.id;
    }
  }
  return name.startsWith('evidence') ? 'evidence' : undefined;
}
