import type { TFunction } from 'i18next';
import type { ProposalDetail, ProposalReason } from '../../intake/compounds/compound-matching.js';

/** Why the matcher proposed a compound for a case, in the reader's words: each reason it found. */
export function CompoundReason(props: { t: TFunction; reason: ProposalReason; detail: ProposalDetail }) {
  const { t, detail } = props;
  const reasons = detail.reasons.length > 0 ? detail.reasons : [props.reason];
  return (
    <ul class="compound-reasons">
      {reasons.map((reason) => (
        <li data-reason={reason}>
          {reason === 'location'
            ? t('compounds.reason.location', { distance: detail.distanceMeters ?? 0 })
            : reason === 'name'
              ? t('compounds.reason.name', { name: detail.name ?? '' })
              : t('compounds.reason.shared_indicator', { reference: detail.linkedReference ?? '' })}
        </li>
      ))}
    </ul>
  );
}
