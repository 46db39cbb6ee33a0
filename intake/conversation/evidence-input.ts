import { EvidenceRejectedError, saveEvidenceFile, type EvidenceLimits } from '../evidence/evidence-files.js';
import type { ConversationInput } from './conversation-types.js';

/** Where a channel stores what reporters send, and what it accepts. */
export interface EvidenceSettings {
  dir: string;
  limits: EvidenceLimits;
}

/**
 * A file a reporter sent in a chat, as the conversation's input: stored as
 * evidence, or refused with the reason the conversation explains to them.
 */
export function evidenceInput(
  settings: EvidenceSettings,
  bytes: Uint8Array | undefined,
  fileName: string | undefined,
): ConversationInput {
  if (!bytes) return { type: 'file_rejected', reason: 'too_large' };
  try {
    return {
      type: 'file',
      file: saveEvidenceFile(settings.dir, bytes, { ...(fileName ? { fileName } : {}), limits: settings.limits }),
    };
  } catch (error) {
    if (error instanceof EvidenceRejectedError)
      return { type: 'file_rejected', reason: error.code === 'evidence.too_large' ? 'too_large' : 'type_not_allowed' };
    throw error;
  }
}
