import type { CheckAdvice } from './check-types.js';

/** What staff confirm an indicator as: the kind of scam the reports behind it describe. */
export const checkCategories = ['job_scam', 'investment', 'recovery_agent', 'romance', 'other'] as const;
export type CheckCategory = (typeof checkCategories)[number];

export function isCheckCategory(value: string): value is CheckCategory {
  return (checkCategories as readonly string[]).includes(value);
}

/** The advice a warning of a category carries: the one rule that would have saved the money. */
const adviceOfCategory: Record<CheckCategory, CheckAdvice[]> = {
  job_scam: ['job_deposit'],
  investment: ['withdraw_fee'],
  recovery_agent: ['recovery_fee'],
  romance: ['general'],
  other: ['general'],
};

export function warningAdvice(category: CheckCategory): CheckAdvice[] {
  return [...adviceOfCategory[category]];
}

/**
 * Without a warning nothing is known of the category (and must not be: it
 * would tell that something was reported), so every "no warning" carries the
 * same three rules.
 */
export const noWarningAdvice: readonly CheckAdvice[] = ['job_deposit', 'withdraw_fee', 'recovery_fee'];
