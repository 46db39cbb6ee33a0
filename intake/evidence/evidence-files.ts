import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Evidence } from '../store/report-followups.js';
import { sniffMediaType } from './sniff-media-type.js';

export class EvidenceRejectedError extends Error {
  constructor(
    readonly code: 'evidence.too_large' | 'evidence.type_not_allowed' | 'evidence.empty',
    message: string,
  ) {
    super(message);
  }
}

export interface EvidenceLimits {
  maxBytes: number;
  /** Media types accepted, as sniffed from the bytes. */
  allowedTypes: ReadonlySet<string>;
}

/** A name safe to show and store: no folders, no control characters, not too long. */
function safeFileName(name: string | undefined, extension: string): string {
  const cleaned = basename(name ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 120);
  return cleaned || `evidence.${extension}`;
}

/**
 * Stores a file a reporter sent, under its SHA-256 (`evidence/ab/<hash>.<ext>`
 * in the evidence folder), exactly as received: metadata such as an image's
 * location is kept for investigators and never shown back publicly. The file
 * is written to a temporary name, flushed to disk and then renamed, so a crash
 * never leaves half a file under a real name, and a report that points at it
 * can only be saved after it is durable. The same file sent twice is stored once.
 */
export function saveEvidenceFile(
  evidenceDir: string,
  bytes: Uint8Array,
  options: { fileName?: string; limits: EvidenceLimits },
): Evidence {
  if (bytes.length === 0) throw new EvidenceRejectedError('evidence.empty', 'the file is empty');
  if (bytes.length > options.limits.maxBytes) {
    throw new EvidenceRejectedError('evidence.too_large', `the file is larger than ${options.limits.maxBytes} bytes`);
  }
  const type = sniffMediaType(bytes);
  if (!type || !options.limits.allowedTypes.has(type.mediaType)) {
    throw new EvidenceRejectedError('evidence.type_not_allowed', 'the file is not of an accepted type');
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storedPath = join('evidence', sha256.slice(0, 2), `${sha256}.${type.extension}`);
  const target = join(evidenceDir, storedPath);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, bytes);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, target);
    // The rename itself is only durable once the folder that holds it is flushed.
    const folder = openSync(dirname(target), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  }
  return { fileName: safeFileName(options.fileName, type.extension), mediaType: type.mediaType, size: bytes.length, sha256, storedPath };
}
