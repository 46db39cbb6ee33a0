import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../../intake/i18n/languages.js';
import { countryChoices } from '../country-names.js';
import type { FormField } from './form-steps.js';
import type { FieldError } from './form-values.js';

/** The id of a field's control: `f-losses-payments-0-amount`, so an error summary can link to it. */
export function fieldId(name: string): string {
  return `f-${name.replace(/\./g, '-')}`;
}

/** Currencies people in the alliance's countries lose money in most, offered as the currency field is typed. */
const commonCurrencies = [
  'USD',
  'KRW',
  'THB',
  'KHR',
  'LAK',
  'VND',
  'CNY',
  'JPY',
  'IDR',
  'MYR',
  'PHP',
  'SGD',
  'MMK',
  'BND',
  'AED',
  'QAR',
  'EUR',
  'USDT',
  'USDT-TRC20',
  'USDT-ERC20',
  'BTC',
  'ETH',
  'USDC',
];

export function CurrencyList() {
  return (
    <datalist id="currencies">
      {commonCurrencies.map((code) => (
        <option value={code}></option>
      ))}
    </datalist>
  );
}

interface FieldProps {
  t: TFunction;
  language: LanguageCode;
  field: FormField;
  /** The posted name (with the row for a repeated group). */
  name: string;
  /** The field's text keys without prefix: `incident.narrative`, `payments.amount`. */
  textKey: string;
  value: string | string[] | undefined;
  error: FieldError | undefined;
}

function CountryOptions(props: { language: LanguageCode; selected: string[] }) {
  const { alliance, others } = countryChoices(props.language);
  return (
    <>
      {alliance.map((choice) => (
        <option value={choice.code} selected={props.selected.includes(choice.code)}>
          {choice.name}
        </option>
      ))}
      <option disabled>──────────</option>
      {others.map((choice) => (
        <option value={choice.code} selected={props.selected.includes(choice.code)}>
          {choice.name}
        </option>
      ))}
    </>
  );
}

/**
 * One question of the form: its label, a hint when it has one, the control,
 * and the error beside it. What the reporter typed is always shown back, even
 * when it was refused, so nothing has to be typed twice.
 */
export function FormFieldView(props: FieldProps) {
  const { t, field, name, error } = props;
  const id = fieldId(name);
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const text = Array.isArray(props.value) ? (props.value[0] ?? '') : (props.value ?? '');
  const selected = Array.isArray(props.value) ? props.value : props.value ? [props.value] : [];
  const label = t(`form.label.${props.textKey}`);
  const hint = field.hint ? (
    <p class="hint" id={hintId}>
      {t(`form.hint.${props.textKey}`)}
    </p>
  ) : null;
  const errorLine = error ? (
    <p class="error" id={errorId} data-message={error.key}>
      {t(error.key, error.params)}
    </p>
  ) : null;
  const invalid = error ? 'true' : undefined;

  if (field.kind === 'checks') {
    // Nothing ticked is skipping the question: every box can be left empty.
    return (
      <fieldset class={error ? 'field invalid' : 'field'} id={id} aria-describedby={describedBy}>
        <legend>{label}</legend>
        {hint}
        {errorLine}
        <div class="radios">
          {(field.options ?? []).map((option, index) => (
            <label class="radio" for={`${id}-${index}`}>
              <input
                type="checkbox"
                id={`${id}-${index}`}
                name={name}
                value={option}
                checked={selected.includes(option)}
              />
              <span>{t(`${field.optionKeyPrefix}.${option}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  if (field.kind === 'yesno' || field.kind === 'choice') {
    const options: Array<{ value: string; label: string }> =
      field.kind === 'yesno'
        ? [
            { value: 'yes', label: t('form.yes') },
            { value: 'no', label: t('form.no') },
          ]
        : (field.options ?? []).map((option) => ({ value: option, label: t(`${field.optionKeyPrefix}.${option}`) }));
    // A radio cannot be unticked without a script: a skippable question offers "not sure" instead.
    if (!field.required) options.push({ value: '', label: t('form.notSure') });
    return (
      <fieldset class={error ? 'field invalid' : 'field'} id={id} aria-describedby={describedBy}>
        <legend>
          {label}
          {field.required ? <span class="required"> ({t('form.required')})</span> : null}
        </legend>
        {hint}
        {errorLine}
        <div class={field.kind === 'yesno' ? 'radios inline' : 'radios'}>
          {options.map((option, index) => (
            <label class="radio" for={`${id}-${index}`}>
              <input
                type="radio"
                id={`${id}-${index}`}
                name={name}
                value={option.value}
                checked={option.value === text && (option.value !== '' || props.value !== undefined)}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  }

  let control;
  switch (field.kind) {
    case 'story':
    case 'lines':
      control = (
        <textarea
          id={id}
          name={name}
          rows={field.kind === 'story' ? 10 : 3}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        >
          {text}
        </textarea>
      );
      break;
    case 'select':
      control = (
        <select id={id} name={name} aria-describedby={describedBy} aria-invalid={invalid}>
          <option value="">{t('form.choose')}</option>
          {(field.options ?? []).map((option) => (
            <option value={option} selected={option === text}>
              {t(`${field.optionKeyPrefix}.${option}`)}
            </option>
          ))}
        </select>
      );
      break;
    case 'country':
      control = (
        <select id={id} name={name} aria-describedby={describedBy} aria-invalid={invalid}>
          <option value="">{t('form.choose')}</option>
          <CountryOptions language={props.language} selected={selected} />
        </select>
      );
      break;
    case 'countries':
      control = (
        <select id={id} name={name} multiple size={6} aria-describedby={describedBy} aria-invalid={invalid}>
          <CountryOptions language={props.language} selected={selected} />
        </select>
      );
      break;
    case 'date':
      control = (
        <input type="date" id={id} name={name} value={text} aria-describedby={describedBy} aria-invalid={invalid} />
      );
      break;
    case 'count':
      control = (
        <input
          type="text"
          inputmode="numeric"
          id={id}
          name={name}
          value={text}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      );
      break;
    case 'amount':
      control = (
        <input
          type="text"
          inputmode="decimal"
          id={id}
          name={name}
          value={text}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      );
      break;
    case 'currency':
      control = (
        <input
          type="text"
          id={id}
          name={name}
          value={text}
          list="currencies"
          autocapitalize="characters"
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      );
      break;
    default:
      control = (
        <input
          type="text"
          id={id}
          name={name}
          value={text}
          autocomplete={field.autocomplete}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      );
  }
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint}
      {errorLine}
      {control}
    </div>
  );
}
