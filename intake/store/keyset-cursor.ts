/**
 * A place in a list ordered by a tier (urgent first, for instance), then a
 * timestamp, then an id: where the last page stopped. Paging by position
 * rather than by offset keeps a page stable while new rows arrive, and the
 * hundredth page costs what the first does.
 */
export interface KeysetPosition {
  /** A leading sort key with a few values (0 or 1 for urgent); 0 for a list without one. */
  tier: number;
  /** The row's ISO timestamp. */
  at: string;
  id: string;
}

/** A cursor that is not one this list handed out: changed, cut short, or from another list. */
export class InvalidCursorError extends Error {
  readonly code = 'cursor.invalid';
  constructor() {
    super('the cursor is not one this list handed out');
    this.name = 'InvalidCursorError';
  }
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;
const rowId = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The opaque cursor for a position in one list (`list` names it, so a queue
 * cursor cannot be replayed against an agency's cases). Opaque to callers,
 * but not secret: it holds no more than the page it follows already showed.
 */
export function encodeCursor(list: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([list, position.tier, position.at, position.id])).toString('base64url');
}

/** The position a cursor of this list holds; anything else throws InvalidCursorError. */
export function decodeCursor(list: string, cursor: string): KeysetPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value) || value.length !== 4) throw new InvalidCursorError();
  const [from, tier, at, id] = value as unknown[];
  if (from !== list) throw new InvalidCursorError();
  if (typeof tier !== 'number' || !Number.isInteger(tier) || tier < 0 || tier > 9) throw new InvalidCursorError();
  if (typeof at !== 'string' || !isoTimestamp.test(at) || Number.isNaN(Date.parse(at))) throw new InvalidCursorError();
  if (typeof id !== 'string' || !rowId.test(id)) throw new InvalidCursorError();
  return { tier, at, id };
}
