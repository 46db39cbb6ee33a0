import type { i18n } from 'i18next';
import type { Kysely } from 'kysely';
import type { AccountStore } from '../../intake/accounts/account-store.js';
import type { Clock } from '../../intake/clock.js';
import type { AgencyResponses } from '../../intake/cases/agency-responses.js';
import type { CaseWork } from '../../intake/cases/case-work.js';
import type { ReporterMessenger } from '../../intake/cases/reporter-messenger.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { RoutingStore } from '../../intake/routing/routing-store.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { Database } from '../../intake/store/database.js';
import type { IndicatorLinks } from '../../intake/store/indicator-links.js';
import type { ReportFollowups } from '../../intake/store/report-followups.js';
import type { ReportStore } from '../../intake/store/report-store.js';

export interface DirectoryEntry {
  id: string;
  country: string | undefined;
}

/** What the staff console and the agency inbox work with, handed in by the composition root. */
export interface ConsoleDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  i18n: i18n;
  accounts: AccountStore;
  reports: ReportStore;
  followups: ReportFollowups;
  links: IndicatorLinks;
  routing: RoutingStore;
  caseWork: CaseWork;
  agencyResponses: AgencyResponses;
  messenger: ReporterMessenger;
  /** Every agency of the directory, for routing corrections and filters. */
  agencies: DirectoryEntry[];
  agencyName: (agencyId: string, language: LanguageCode) => string;
  /** A stored routing decision in sentences, in a language. */
  describeRouting: (decision: unknown, language: LanguageCode) => string[];
  /** Replaces a case's routing with the agencies a person chose, re-planning its deliveries. */
  correctRouting: (reportId: string, choice: { primary: string; copies: string[] }, actor: string) => Promise<void>;
  retryDelivery: (deliveryId: string, actor: string) => Promise<boolean>;
  /** Where evidence files are kept (the data folder). */
  evidenceDir: string;
  trustProxy?: boolean;
  now?: Clock;
}
