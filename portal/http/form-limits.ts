import type { FormLimits } from './read-form.js';

const kib = 1024;

/**
 * The limits of every form the portal takes, in one place (the README's
 * configuration section lists them). A text field never needs more than a
 * story's 25,000 characters of up to four bytes each; the longest step
 * (countries, repeated rows) has a few hundred fields.
 */
export const formLimits = {
  /**
   * A step of the report form without files, the review, the console's forms. They are sent URL-encoded, which
   * writes each byte outside ASCII as three characters (`%E1%80%80`): a field at its 100 KiB (a Burmese or Khmer
   * story) takes 300 KiB on the wire, and the body must hold it so that the step's own error can say it is too
   * long and give it back.
   */
  text: { maxBytes: 384 * kib, maxFields: 600, maxFieldBytes: 100 * kib, maxFiles: 0 },
  /** Sign-in, the resume code, the status check: a few short fields. */
  small: { maxBytes: 16 * kib, maxFields: 10, maxFieldBytes: 4 * kib, maxFiles: 0 },
  /** A web chat message or a status-page addition (20,000 characters of up to four bytes), with at most one file. */
  message: (maxFileBytes: number): FormLimits => ({
    maxBytes: maxFileBytes + 128 * kib,
    maxFields: 10,
    maxFieldBytes: 80 * kib,
    maxFiles: 1,
  }),
  /** A status-page addition: a message and up to `files` files. */
  statusAddition: (maxFileBytes: number, files: number): FormLimits => ({
    maxBytes: maxFileBytes * files + 128 * kib,
    maxFields: 10,
    maxFieldBytes: 80 * kib,
    maxFiles: files,
  }),
  /** The form's evidence step: up to `files` files in one post (ten in a report). */
  evidence: (maxFileBytes: number, files: number): FormLimits => ({
    maxBytes: maxFileBytes * files + 256 * kib,
    maxFields: 600,
    maxFieldBytes: 100 * kib,
    maxFiles: files,
  }),
} as const satisfies Record<string, FormLimits | ((...args: number[]) => FormLimits)>;

/** The longest message the web chat takes, in characters: as long as LINE's (5,000), more than Telegram's (4,096). */
export const maxChatMessageLength = 5_000;
