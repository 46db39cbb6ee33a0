import type { CaseErrorCode } from '../../intake/cases/case-error.js';

/**
 * What the console tells a person whose action on a case was refused: the
 * message key (staff namespace) of each intake error code. `case.not_found`
 * is answered with the not-found page instead, so a case the reader may not
 * see looks exactly like one that does not exist.
 */
export const caseErrorKeys: Record<Exclude<CaseErrorCode, 'case.not_found'>, string> = {
  'case.not_allowed': 'case.assignRefused',
  'case.unknown_assignee': 'case.assignRefused',
  'case.invalid_status': 'case.error.invalid_status',
  'case.duplicate_needs_original': 'case.error.duplicate_needs_original',
  'case.duplicate_of_itself': 'case.error.duplicate_of_itself',
  'case.empty_note': 'note.empty',
  'case.link_not_found': 'linked.notFound',
  'case.link_to_itself': 'linked.self',
  'case.unknown_agency': 'routing.unknownAgency',
  'case.reason_required': 'routing.reasonRequired',
  'case.empty_reply': 'reply.empty',
  'case.message_not_failed': 'reply.chatFailed',
  'case.delivery_not_failed': 'delivery.notFailed',
  'agency.invalid_decision': 'inbox.chooseDecision',
  'agency.reason_required': 'inbox.reasonRequired',
  'agency.invalid_action': 'inbox.unknownAction',
  'agency.case_number_invalid': 'inbox.caseNumberInvalid',
};
