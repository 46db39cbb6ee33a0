import type { TFunction } from 'i18next';
import type { CaseCompound } from '../../intake/compounds/compound-read-models.js';
import { DateTime } from '../time/date-time.js';
import { CompoundDecisionForm } from './compound-decision-form.js';
import { CompoundReason } from './compound-reason.js';

/**
 * The case page's section: the scam compounds proposed for the case or
 * confirmed, with why, to decide here. An agency reads only the confirmed
 * ones, without why (a reason may name another agency's case) and without
 * the decision, which is the hotline's.
 */
export function CaseCompoundsSection(props: {
  t: TFunction;
  token: string;
  reference: string;
  compounds: CaseCompound[];
  viewer?: 'staff' | 'agency';
}) {
  const { t } = props;
  const staff = props.viewer !== 'agency';
  return (
    <section class="panel" aria-labelledby="compounds-title" id="compounds">
      <h2 id="compounds-title">{t('compounds.title')}</h2>
      {props.compounds.length === 0 ? (
        <p data-message="compounds.case.none">{t('compounds.case.none')}</p>
      ) : (
        <ul class="compound-proposals">
          {props.compounds.map((entry) => (
            <li data-compound={entry.compoundId} data-state={entry.state}>
              <a href={`/${staff ? 'staff' : 'agency'}/compounds/${entry.compoundId}`}>
                <bdi>{entry.name}</bdi>
              </a>{' '}
              (<bdi>{entry.country}</bdi>) ·{' '}
              <span data-message={`compounds.state.${entry.state}`}>{t(`compounds.state.${entry.state}`)}</span> ·{' '}
              <DateTime iso={entry.decidedAt ?? entry.proposedAt} />
              {staff ? (
                <>
                  <CompoundReason t={t} reason={entry.reason} detail={entry.detail} />
                  <CompoundDecisionForm
                    t={t}
                    token={props.token}
                    compoundId={entry.compoundId}
                    reference={props.reference}
                    back="case"
                    state={entry.state}
                  />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
