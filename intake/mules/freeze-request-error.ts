/** Why sending a freeze request was refused; the console maps each code to a translated message. */
export type FreezeRequestErrorCode =
  | 'freeze_request.not_found'
  | 'freeze_request.already_sent'
  | 'freeze_request.already_queued'
  | 'freeze_request.no_fraud_desk'
  | 'freeze_request.mail_not_configured'
  | 'freeze_request.no_freeze_channel';

export class FreezeRequestError extends Error {
  constructor(readonly code: FreezeRequestErrorCode) {
    super(code);
    this.name = 'FreezeRequestError';
  }
}
