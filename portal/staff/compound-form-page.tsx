import type { TFunction } from 'i18next';
import {
  compoundStatuses,
  type CompoundForm,
  type CompoundInput,
  type CompoundProblem,
} from '../../intake/compounds/compound-input.js';
import { countryCodes } from '../../intake/i18n/country-codes.js';

/**
 * Adding or editing a compound. A refused form comes back with what was
 * typed and each field's problem beside it; an edit carries the version it
 * started from, so someone else's edit meanwhile is not overwritten.
 */
export function CompoundFormPage(props: {
  t: TFunction;
  token: string;
  /** Posted to: `/staff/compounds` to add, `/staff/compounds/<id>` to edit. */
  action: string;
  title: string;
  form: CompoundForm;
  /** The edited entry's `updatedAt` as the editor first saw it. */
  seenUpdatedAt?: string;
  problems?: CompoundProblem[];
  /** A refusal of the whole form (someone else edited it meanwhile). */
  error?: string | undefined;
}) {
  const { t, form } = props;
  const problems = props.problems ?? [];
  const problemOf = (field: keyof CompoundInput) => problems.find((problem) => problem.field === field);
  const Problem = ({ field }: { field: keyof CompoundInput }) => {
    const problem = problemOf(field);
    return problem ? (
      <span class="error" id={`${field}-problem`} data-message={`compounds.problem.${problem.code}`}>
        {t(`compounds.problem.${problem.code}`)}
      </span>
    ) : null;
  };
  const described = (field: keyof CompoundInput) =>
    problemOf(field) ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-problem` } : {};
  const text = (field: 'name' | 'country' | 'area' | 'latitude' | 'longitude', extra: Record<string, string> = {}) => (
    <label>
      {t(`compounds.field.${field}`)}
      <input type="text" name={field} value={form[field]} {...extra} {...described(field)} />
      <Problem field={field} />
    </label>
  );
  const area = (field: 'aliases' | 'landmarks' | 'notes') => (
    <label>
      {t(`compounds.field.${field}`)}
      <textarea name={field} rows={field === 'notes' ? 5 : 4} {...described(field)}>
        {form[field]}
      </textarea>
      <Problem field={field} />
    </label>
  );
  return (
    <>
      <h1>{props.title}</h1>
      {props.error ? (
        <p class="error" role="alert" data-message={props.error}>
          {t(props.error)}
        </p>
      ) : problems.length > 0 ? (
        <p class="error" role="alert" data-message="compounds.formErrors">
          {t('compounds.formErrors')}
        </p>
      ) : null}
      <form method="post" action={props.action} class="stacked">
        <input type="hidden" name="token" value={props.token} />
        {props.seenUpdatedAt ? <input type="hidden" name="seenUpdatedAt" value={props.seenUpdatedAt} /> : null}
        {text('name', { required: '', maxlength: '200' })}
        {area('aliases')}
        {text('country', { list: 'compound-countries', maxlength: '2', autocomplete: 'off' })}
        <datalist id="compound-countries">
          {countryCodes.map((code) => (
            <option value={code} />
          ))}
        </datalist>
        {text('area', { maxlength: '200' })}
        {text('latitude', { inputmode: 'decimal' })}
        {text('longitude', { inputmode: 'decimal' })}
        {area('landmarks')}
        <label>
          {t('compounds.field.status')}
          <select name="status" {...described('status')}>
            {compoundStatuses.map((status) => (
              <option value={status} selected={form.status === status}>
                {t(`compounds.status.${status}`)}
              </option>
            ))}
          </select>
          <Problem field="status" />
        </label>
        {area('notes')}
        <button type="submit" class="primary">
          {t('compounds.save')}
        </button>
      </form>
    </>
  );
}
