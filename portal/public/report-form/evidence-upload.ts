import { EvidenceRejectedError, saveEvidenceFile } from '../../../intake/evidence/evidence-files.js';
import type { EvidenceSettings } from '../../../intake/conversation/evidence-input.js';
import type { Evidence } from '../../../intake/store/report-followups.js';
import { limits, type FieldError } from './form-values.js';

/**
 * Files chosen on the evidence step, stored durably (type read from the
 * bytes, at most the size limit each, at most ten in a report). Each file
 * refused is named with its reason; the others are kept.
 */
export async function storeUploadedFiles(
  settings: EvidenceSettings,
  files: File[],
  alreadyStored: Evidence[],
): Promise<{ stored: Evidence[]; errors: FieldError[] }> {
  const stored: Evidence[] = [];
  const errors: FieldError[] = [];
  const maxMegabytes = String(Math.round(settings.limits.maxBytes / (1024 * 1024)));
  for (const file of files) {
    if (alreadyStored.length + stored.length >= limits.evidenceFiles) {
      errors.push({ field: 'files', key: 'form.error.tooManyFiles', params: { name: file.name, max: String(limits.evidenceFiles) } });
      continue;
    }
    try {
      const evidence = saveEvidenceFile(settings.dir, new Uint8Array(await file.arrayBuffer()), { fileName: file.name, limits: settings.limits });
      // The same screenshot chosen twice is one piece of evidence.
      if (![...alreadyStored, ...stored].some((item) => item.sha256 === evidence.sha256)) stored.push(evidence);
    } catch (error) {
      if (!(error instanceof EvidenceRejectedError)) throw error;
      const key = error.code === 'evidence.too_large' ? 'form.error.fileTooLarge' : error.code === 'evidence.empty' ? 'form.error.fileEmpty' : 'form.error.fileType';
      errors.push({ field: 'files', key, params: { name: file.name, max: maxMegabytes } });
    }
  }
  return { stored, errors };
}
