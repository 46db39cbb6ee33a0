import { randomBytes } from 'node:crypto';

/**
 * A report row written straight to the table, its encrypted columns a placeholder nobody decrypts: the bulk that
 * makes a store large (benches at 100,000 reports) or a page full, where what the reports say does not matter.
 */
export function fillerReportRow(id: string, timestamp: string, placeholder = 'filler') {
  return {
    id,
    reference: `RL-${randomBytes(6).toString('hex')}`,
    receipt_hash: 'x',
    channel: 'api',
    language: 'en',
    reporter_role: null,
    status: 'new',
    category: null,
    urgent: 0,
    consent_share: 1,
    consent_contact: 0,
    current_country: null,
    nationality: null,
    residence_country: null,
    content_enc: placeholder,
    indicators_enc: placeholder,
    created_at: timestamp,
    updated_at: timestamp,
  };
}
