import type { TFunction } from 'i18next';

/**
 * The safety flag of a case that names someone staff confirmed as a
 * "recovery agent": whoever offers the victim their money back for a fee is
 * a second scam aimed at them, so the hotline warns the reporter first.
 */
export function RecoveryAgentFlag(props: { t: TFunction; shown: boolean }) {
  if (!props.shown) return null;
  return (
    <span class="flag flag-danger" data-flag="recovery_agent" title={props.t('checks.recoveryFlag.hint')}>
      {props.t('checks.recoveryFlag.label')}
    </span>
  );
}
