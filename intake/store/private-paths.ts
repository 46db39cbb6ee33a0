import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The data folder holds reporters' personal data (the database, the evidence
 * they sent, the development key), so what Reportline creates there is for its
 * own user only, whatever umask the process was started with. A mode passed to
 * mkdir or open is only ever narrowed by the umask, never widened, but it is
 * still set explicitly afterwards so an unusual umask cannot leave owner bits off.
 */
const privateDirectoryMode = 0o700;
const privateFileMode = 0o600;

function isAlreadyThere(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EEXIST';
}

/** mkdir -p that leaves every folder it creates, and the leaf, at mode 0700. */
export function ensurePrivateDirectory(path: string): void {
  const leaf = resolve(path);
  const missing: string[] = [];
  for (let folder = leaf; !existsSync(folder); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: privateDirectoryMode });
    } catch (error) {
      // Another process made it in the meantime: it is not ours to change (the leaf still is, below).
      if (isAlreadyThere(error)) continue;
      throw error;
    }
    chmodSync(folder, privateDirectoryMode);
  }
  const stats = statSync(leaf);
  if (!stats.isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, '${leaf}'`), { code: 'ENOTDIR', path: leaf });
  }
  if ((stats.mode & 0o777) !== privateDirectoryMode) chmodSync(leaf, privateDirectoryMode);
}

/** Creates the file empty at 0600 if missing, and sets an existing one to 0600. */
export function ensurePrivateFile(path: string): void {
  // Read-only so an existing file is neither truncated nor needs to be writable;
  // the mode is set through the descriptor, on the very file that was opened.
  const descriptor = openSync(path, constants.O_RDONLY | constants.O_CREAT, privateFileMode);
  try {
    if ((fstatSync(descriptor).mode & 0o777) !== privateFileMode) fchmodSync(descriptor, privateFileMode);
  } finally {
    closeSync(descriptor);
  }
}
