import type { i18n } from 'i18next';
import type { AccountStore } from '../../intake/accounts/account-store.js';
import type { CaseReadModels } from '../../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import type { CompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import type { DashboardReadModel } from '../../intake/dashboard/dashboard-read-model.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { DescribeRouting } from '../../intake/routing/describe-routing.js';
import type { IndicatorLinks } from '../../intake/store/indicator-links.js';
import type { UrgentCases } from '../../intake/urgent/urgent-cases.js';
import type { MuleUseCases } from '../../intake/mules/mule-use-cases.js';
import type { CheckStaffParts } from '../../intake/check/create-checks.js';

export interface DirectoryEntry {
  id: string;
  country: string | undefined;
}

/**
 * What the staff console and the agency inbox work with, handed in by the
 * composition root: the actions on a case and what can be read of cases,
 * never the database.
 */
export interface ConsoleDependencies {
  i18n: i18n;
  /** Signs and checks the console's form tokens. */
  cipher: FieldCipher;
  /** Sign-in, sessions and the list of accounts. */
  accounts: AccountStore;
  cases: CaseUseCases;
  views: CaseReadModels;
  /** The search by indicator. */
  links: IndicatorLinks;
  /** Every agency of the directory, for routing corrections and filters. */
  agencies: DirectoryEntry[];
  agencyName: (agencyId: string, language: LanguageCode) => string;
  /** A stored routing decision in sentences, in a language. */
  describeRouting: DescribeRouting;
  trustProxy: boolean;
  /** The clock a case's age is read against (the server's, unless a test sets one). */
  now?: () => Date;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
  /** Urgent cases: the duty desk's banner, the clocks in the queue and on a case, the acknowledge button. */
  urgent?: UrgentCases | undefined;
  /** The dashboard's figures, for `/staff/dashboard` and `/agency/dashboard` (not served without it). */
  dashboard?: DashboardReadModel;
  /** The register of compounds and its pages (`/staff/compounds`, `/agency/compounds`; not served without it). */
  compounds?: CompoundUseCases;
  /** Freeze requests and the accounts several reports name (`/staff/freeze-requests`, `/staff/mule-accounts`). */
  mules?: MuleUseCases;
  /** "Check before you pay" for staff: confirmations, disputes, the safelist (`/staff/checks`; else not served). */
  checkStaff?: CheckStaffParts | undefined;
}
