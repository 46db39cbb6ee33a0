/**
 * The engine kept asking for effects after every round the runner allows: a
 * bug in the engine. Thrown rather than dropping what was left, so the turn is
 * not committed half done and the update is retried or seen in the logs.
 */
export class ConversationEffectLoopError extends Error {
  readonly code = 'conversation.effect_loop';
}

/**
 * Another update of the same person saved first every time the runner tried:
 * thrown so the channel retries the update later instead of it being lost.
 */
export class ConversationConflictRetriesExhaustedError extends Error {
  readonly code = 'conversation.conflict_retries_exhausted';
}
