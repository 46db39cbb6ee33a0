import type { CompoundProblem } from './compound-input.js';

/** Why an action on the register or on a proposal was refused; the console maps each code to a translated message. */
export type CompoundErrorCode =
  | 'compound.not_found'
  | 'compound.invalid'
  | 'compound.case_not_proposed'
  | 'compound.invalid_decision'
  | 'compound.edited_meanwhile';

/** A refused action on a compound, with a stable code; its message is for developers, never shown as it is. */
export class CompoundError extends Error {
  constructor(
    readonly code: CompoundErrorCode,
    /** For `compound.invalid`: which fields, and why. */
    readonly problems: CompoundProblem[] = [],
  ) {
    super(code);
    this.name = 'CompoundError';
  }
}
