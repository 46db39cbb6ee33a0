import { fileURLToPath } from 'node:url';

/**
 * Where a failure happened, as `file:line:column` frames and nothing else.
 *
 * A stack as V8 writes it starts with `Name: message`, and the message may
 * run over several lines quoting what a person typed, a phone number, or a
 * request URL that holds a bot token. So the stack is never copied: the
 * header V8 wrote is cut off, and of what follows only lines that are exactly
 * a frame are kept, reduced to their location in a source file. Function
 * names are left out too: a frame line forged inside a multi-line message
 * then has nothing left to carry but the shape of a path. A location that is
 * not a file on this machine (an http URL, an eval) is never kept.
 */

/** The repository's root as a path prefix, so frames read `intake/store/x.ts:12:3`. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A stack line V8 writes for one frame: `    at name (location)` or `    at location`. */
const frameLine = /^ {4}at (?:.*? \()?([^()\s]+?)\)?$/;
/** A location in a file: a path or file URL, line and column; `node:` for Node's own modules. */
const fileLocation = /^(?:file:\/\/)?((?:\/|node:|[A-Za-z]:\\)[\w@+.\-/\\:]*?):(\d+):(\d+)$/;

const maxFrames = 20;

function location(line: string): string | undefined {
  const frame = frameLine.exec(line);
  const found = frame ? fileLocation.exec(frame[1]!) : null;
  if (!found) return undefined;
  const path = found[1]!.startsWith(projectRoot) ? found[1]!.slice(projectRoot.length) : found[1]!;
  return `${path}:${found[2]}:${found[3]}`;
}

/** What V8 wrote before the first frame: `Name: message`, or `Name` alone. */
function headerOf(error: Error): string {
  return error.message === '' ? error.name : `${error.name}: ${error.message}`;
}

/** The frames of an error's stack, at most twenty; none for anything that is not an Error. */
export function stackFramesOf(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  const header = headerOf(error);
  // A message changed after the stack was taken leaves the header unknown: every line is then checked as a frame.
  const frames = error.stack.startsWith(header) ? error.stack.slice(header.length) : error.stack;
  const kept: string[] = [];
  for (const line of frames.split('\n')) {
    const frame = location(line);
    if (frame) kept.push(frame);
    if (kept.length === maxFrames) break;
  }
  return kept;
}
