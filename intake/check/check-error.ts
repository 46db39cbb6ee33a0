/** Why a check use case refused, as a stable code the portal maps to a translated message. */
export type CheckErrorCode =
  | 'check.invalid_prefix'
  | 'check.invalid_dispute'
  | 'check.not_found'
  | 'check.too_few_reporters'
  | 'check.safelisted'
  | 'check.withdrawn_by_dispute'
  | 'check.not_confirmed'
  | 'check.invalid_category'
  | 'check.invalid_safelist_entry'
  | 'check.dispute_decided';

export class CheckError extends Error {
  constructor(readonly code: CheckErrorCode) {
    super(code);
    this.name = 'CheckError';
  }
}
