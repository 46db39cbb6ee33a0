import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Evidence } from '../store/report-followups.js';
import { cleanTypedText } from '../report/clean-text.js';
import { ensurePrivateDirectory } from '../store/private-paths.js';
import { extensionOf, sniffMediaType, storableTypes } from './sniff-media-type.js';

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

const sha256Pattern = /^[0-9a-f]{64}$/;

/** A name safe to show and store: no folders, no control characters, not too long. */
function safeFileName(name: string | undefined, extension: string): string {
  const cleaned = cleanTypedText(basename((name ?? '').replace(/\\/g, '/')))
    .replace(/[\t\r\n]/g, ' ')
    .trim()
    .slice(0, 120);
  return cleaned || `evidence.${extension}`;
}

/**
 * Where the file with this hash and type lives: `evidence/<ab>/<hash>.<ext>`
 * under the data folder. The path is always rebuilt from the hash (64 hex
 * digits) and a type from a fixed list, never taken from a client or from
 * stored JSON, so no value can name another file of the data folder (the
 * database, the key) or anything outside it.
 */
export function evidenceFilePath(dataDir: string, sha256: string, mediaType: string): string | undefined {
  const extension = extensionOf(mediaType);
  if (!sha256Pattern.test(sha256) || !extension) return undefined;
  return join(dataDir, 'evidence', sha256.slice(0, 2), `${sha256}.${extension}`);
}

/** Enough of a file's first bytes to read its type (the longest signature is 12 bytes). */
const headBytes = 16;

/**
 * Stores a file a reporter sent, under its SHA-256, exactly as received, as
 * its bytes arrive: memory stays small whatever the size, and a file over
 * the limit or of a refused type is dropped as soon as that is known.
 * Metadata such as an image's location is kept for investigators and never
 * shown back publicly. The bytes go to a temporary file, are flushed to disk
 * and then renamed, so a crash never leaves half a file under a real name,
 * and a report that points at it can only be saved after it is durable. The
 * same file sent twice is stored once.
 */
export class EvidenceWriter {
  readonly #dataDir: string;
  readonly #options: { fileName?: string | undefined; limits: EvidenceLimits };
  readonly #hash = createHash('sha256');
  #head = Buffer.alloc(0);
  #size = 0;
  #descriptor: number | undefined;
  #temporary: string | undefined;
  #refused: EvidenceRejectedError | undefined;

  constructor(dataDir: string, options: { fileName?: string | undefined; limits: EvidenceLimits }) {
    this.#dataDir = dataDir;
    this.#options = options;
  }

  /** Takes the next bytes; once the file is refused, the rest is only counted. */
  write(chunk: Uint8Array): void {
    this.#size += chunk.length;
    if (this.#refused) return;
    if (this.#size > this.#options.limits.maxBytes) {
      this.#refuse(
        new EvidenceRejectedError(
          'evidence.too_large',
          `the file is larger than ${this.#options.limits.maxBytes} bytes`,
        ),
      );
      return;
    }
    if (this.#head.length < headBytes) {
      this.#head = Buffer.concat([this.#head, chunk.subarray(0, headBytes - this.#head.length)]);
      if (this.#head.length >= headBytes) this.#checkType();
      if (this.#refused) return;
    }
    this.#hash.update(chunk);
    if (this.#descriptor === undefined) {
      const folder = join(this.#dataDir, 'evidence', 'incoming');
      ensurePrivateDirectory(folder);
      this.#temporary = join(folder, `${randomBytes(12).toString('hex')}.partial`);
      this.#descriptor = openSync(this.#temporary, 'wx', 0o600);
    }
    writeSync(this.#descriptor, chunk);
  }

  /** The stored file's record; throws the reason when it was refused. */
  finish(): Evidence {
    if (this.#size === 0) this.#refuse(new EvidenceRejectedError('evidence.empty', 'the file is empty'));
    const type = this.#refused ? undefined : this.#checkType();
    if (this.#refused || !type || this.#descriptor === undefined || !this.#temporary) throw this.#refused;
    fsyncSync(this.#descriptor);
    closeSync(this.#descriptor);
    this.#descriptor = undefined;
    const sha256 = this.#hash.digest('hex');
    const target = evidenceFilePath(this.#dataDir, sha256, type.mediaType)!;
    ensurePrivateDirectory(dirname(target));
    if (regularFileSize(target) === this.#size) {
      unlinkSync(this.#temporary);
    } else {
      renameSync(this.#temporary, target);
      // The rename itself is only durable once the folder that holds it is flushed.
      const folder = openSync(dirname(target), 'r');
      try {
        fsyncSync(folder);
      } finally {
        closeSync(folder);
      }
    }
    this.#temporary = undefined;
    return {
      fileName: safeFileName(this.#options.fileName, type.extension),
      mediaType: type.mediaType,
      size: this.#size,
      sha256,
    };
  }

  /** Drops what was written (the request broke off, or the form was refused). */
  abort(): void {
    this.#discard();
  }

  #checkType() {
    const type = sniffMediaType(this.#head);
    if (!type || !this.#options.limits.allowedTypes.has(type.mediaType)) {
      this.#refuse(new EvidenceRejectedError('evidence.type_not_allowed', 'the file is not of an accepted type'));
      return undefined;
    }
    return type;
  }

  #refuse(reason: EvidenceRejectedError): void {
    this.#refused ??= reason;
    this.#discard();
  }

  #discard(): void {
    if (this.#descriptor !== undefined) closeSync(this.#descriptor);
    this.#descriptor = undefined;
    if (this.#temporary) rmSync(this.#temporary, { force: true });
    this.#temporary = undefined;
  }
}

/** Stores a file already in memory (a bot's download); see EvidenceWriter. */
export function saveEvidenceFile(
  dataDir: string,
  bytes: Uint8Array,
  options: { fileName?: string; limits: EvidenceLimits },
): Evidence {
  const writer = new EvidenceWriter(dataDir, options);
  try {
    writer.write(bytes);
    return writer.finish();
  } finally {
    writer.abort();
  }
}

/** The size of a regular file at the path (never through a symbolic link), or undefined. */
function regularFileSize(path: string): number | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    // No file there (or not one we may read) means the server did not store it: that is the answer.
    return undefined;
  }
}

/**
 * Whether the server itself stored this file: one it received, under its
 * hash, of the type and size the record claims. A report (from the API or
 * any channel) may only refer to such a file.
 */
export function holdsEvidence(dataDir: string, file: Pick<Evidence, 'sha256' | 'mediaType' | 'size'>): boolean {
  if (!storableTypes.has(file.mediaType)) return false;
  const path = evidenceFilePath(dataDir, file.sha256, file.mediaType);
  return path !== undefined && regularFileSize(path) === file.size;
}

/**
 * The bytes of a stored evidence file, found by its hash alone. A symbolic
 * link or anything but a regular file is refused, and the bytes must still
 * hash to the name they are stored under.
 */
export function readEvidenceFile(dataDir: string, file: Pick<Evidence, 'sha256' | 'mediaType'>): Buffer | undefined {
  const path = evidenceFilePath(dataDir, file.sha256, file.mediaType);
  if (!path) return undefined;
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    // Missing, or a symbolic link O_NOFOLLOW refused: either way there is no file to serve.
    return undefined;
  }
  try {
    if (!fstatSync(descriptor).isFile()) return undefined;
    const bytes = readFileSync(descriptor);
    return createHash('sha256').update(bytes).digest('hex') === file.sha256 ? bytes : undefined;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Just the fields of an evidence record, for records read back from a draft
 * or a conversation saved before the path was dropped from the model: a
 * leftover path is never carried on (nor trusted).
 */
export function evidenceRecord(file: Evidence): Evidence {
  return { fileName: file.fileName, mediaType: file.mediaType, size: file.size, sha256: file.sha256 };
}
