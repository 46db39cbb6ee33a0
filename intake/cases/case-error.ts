/** Why an action on a case was refused; the portal maps each code to a status and a translated message. */
export type CaseErrorCode =
  | 'case.not_found'
  | 'case.not_allowed'
  | 'case.unknown_assignee'
  | 'case.invalid_status'
  | 'case.duplicate_needs_original'
  | 'case.duplicate_of_itself'
  | 'case.empty_note'
  | 'case.link_not_found'
  | 'case.link_to_itself'
  | 'case.unknown_agency'
  | 'case.reason_required'
  | 'case.empty_reply'
  | 'case.message_not_failed'
  | 'case.delivery_not_failed'
  | 'agency.invalid_decision'
  | 'agency.reason_required'
  | 'agency.invalid_action'
  | 'agency.case_number_invalid';

/** A refused action on a case, with a stable code; its message is for developers, never shown as it is. */
export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
