import type { Evidence } from '../../../intake/store/report-followups.js';
import { wasChosen, type UploadedEvidence } from '../../http/evidence-uploads.js';
import { limits, type FieldError } from './form-values.js';

/**
 * Files chosen on the evidence step, already stored as they arrived (type
 * read from the bytes, at most the size limit each): at most ten in a
 * report, each once. Each file refused is named with its reason; the others
 * are kept.
 */
export function acceptUploadedFiles(
  uploads: UploadedEvidence[],
  alreadyStored: Evidence[],
  maxBytes: number,
): { stored: Evidence[]; errors: FieldError[] } {
  const stored: Evidence[] = [];
  const errors: FieldError[] = [];
  const maxMegabytes = String(Math.round(maxBytes / (1024 * 1024)));
  for (const upload of uploads.filter(wasChosen)) {
    if ('refused' in upload) {
      const key =
        upload.refused === 'evidence.too_large'
          ? 'form.error.fileTooLarge'
          : upload.refused === 'evidence.empty'
            ? 'form.error.fileEmpty'
            : 'form.error.fileType';
      errors.push({ field: 'files', key, params: { name: upload.fileName, max: maxMegabytes } });
      continue;
    }
    const evidence = upload.stored;
    // The same screenshot chosen twice is one piece of evidence.
    if ([...alreadyStored, ...stored].some((item) => item.sha256 === evidence.sha256)) continue;
    if (alreadyStored.length + stored.length >= limits.evidenceFiles) {
      errors.push({
        field: 'files',
        key: 'form.error.tooManyFiles',
        params: { name: evidence.fileName, max: String(limits.evidenceFiles) },
      });
      continue;
    }
    stored.push(evidence);
  }
  return { stored, errors };
}
