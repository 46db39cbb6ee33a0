import { EvidenceRejectedError, EvidenceWriter } from '../../intake/evidence/evidence-files.js';
import type { EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { Evidence } from '../../intake/store/report-followups.js';
import type { Context } from 'hono';
import { fieldText, readForm, type FormLimits, type ReadForm } from './read-form.js';

/** A file from a form: stored as evidence, or refused with the reason to tell the sender. */
export type UploadedEvidence = { stored: Evidence } | { refused: EvidenceRejectedError['code']; fileName: string };

/**
 * Stores each file of a form post as its bytes arrive (see readForm's
 * onFile), so a large upload never sits in memory; a file that is too
 * large, empty or of a refused type is named with its reason.
 */
export function storeEvidenceAsItArrives(settings: EvidenceSettings) {
  return async ({
    fileName,
    stream,
  }: {
    fileName: string;
    stream: AsyncIterable<Uint8Array>;
  }): Promise<UploadedEvidence> => {
    const writer = new EvidenceWriter(settings.dir, { fileName, limits: settings.limits });
    try {
      for await (const chunk of stream) writer.write(chunk);
      return { stored: writer.finish() };
    } catch (error) {
      writer.abort();
      if (error instanceof EvidenceRejectedError) return { refused: error.code, fileName };
      throw error;
    }
  };
}

/** A file input left empty is posted as an empty part with no name: nothing was chosen. */
export function wasChosen(upload: UploadedEvidence): boolean {
  return !('refused' in upload) || upload.refused !== 'evidence.empty' || upload.fileName !== '';
}

/**
 * A form post that may carry evidence: read within its limits, its files
 * stored as they arrive once the page's token (sent first) matches.
 */
export function readFormWithEvidence(
  c: Context,
  options: { limits: FormLimits; evidence: EvidenceSettings; tokenMatches: (token: string | undefined) => boolean },
): Promise<ReadForm<UploadedEvidence>> {
  return readForm(c, {
    limits: options.limits,
    beforeFiles: (fields) => options.tokenMatches(fieldText(fields, 'token')),
    onFile: storeEvidenceAsItArrives(options.evidence),
  });
}
