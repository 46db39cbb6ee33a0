import type { TFunction } from 'i18next';
import { recoveryShieldKey } from '../../intake/conversation/check-recovery-shield.js';

/**
 * The recovery-scam shield on a page (the form's receipt, the status page): one short paragraph, in the reader's
 * language, for a report that tells of money paid. The same text as the chat's (`messages:check.recoveryShield`).
 */
export function RecoveryShield(props: { t: TFunction }) {
  return (
    <p class="notice recovery-shield" data-message={recoveryShieldKey}>
      {props.t(recoveryShieldKey)}
    </p>
  );
}
