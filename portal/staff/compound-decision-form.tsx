import type { TFunction } from 'i18next';

/** Confirm or reject a proposal: two buttons of one form, answered back on the page it was posted from. */
export function CompoundDecisionForm(props: {
  t: TFunction;
  token: string;
  compoundId: string;
  reference: string;
  /** Where to come back to: the case page or the compound page. */
  back: 'case' | 'compound';
  state: 'proposed' | 'confirmed' | 'rejected';
}) {
  const { t } = props;
  return (
    <form
      method="post"
      action={`/staff/compounds/${encodeURIComponent(props.compoundId)}/cases/${encodeURIComponent(props.reference)}`}
      class="inline-form"
    >
      <input type="hidden" name="token" value={props.token} />
      <input type="hidden" name="back" value={props.back} />
      {props.state !== 'confirmed' ? (
        <button type="submit" name="decision" value="confirmed" class="small primary">
          {t('compounds.confirm')}
        </button>
      ) : null}{' '}
      {props.state !== 'rejected' ? (
        <button type="submit" name="decision" value="rejected" class="small">
          {t('compounds.reject')}
        </button>
      ) : null}
    </form>
  );
}
