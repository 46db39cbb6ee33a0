import type { Kysely } from 'kysely';
import type { AccountTables } from './tables/account-tables.js';
import type { CaseWorkTables } from './tables/case-work-tables.js';
import type { CheckTables } from './tables/check-tables.js';
import type { CompoundTables } from './tables/compound-tables.js';
import type { ChatOutboxTables } from './tables/chat-outbox-tables.js';
import type { ConversationTables } from './tables/conversation-tables.js';
import type { DraftTables } from './tables/draft-tables.js';
import type { EndedVisitTables } from './tables/ended-visit-tables.js';
import type { FollowupTables } from './tables/followup-tables.js';
import type { FoundationTables } from './tables/foundation-tables.js';
import type { InboundEventTables } from './tables/inbound-event-tables.js';
import type { RateLimitTables } from './tables/rate-limit-tables.js';
import type { ReportVersionTables } from './tables/report-version-tables.js';
import type { RoutingTables } from './tables/routing-tables.js';
import type { UrgentTables } from './tables/urgent-tables.js';
import type { MuleTables } from './tables/mule-tables.js';
import type { MailOutboxTables } from './tables/mail-outbox-tables.js';
import type { SendPacingTables } from './tables/send-pacing-tables.js';

/**
 * Every table of the store. Each part of the intake declares its own tables in
 * `tables/` and adds them here, so a migration and its row types live side by
 * side.
 */
export interface Database
  extends
    FoundationTables,
    FollowupTables,
    RoutingTables,
    ConversationTables,
    AccountTables,
    InboundEventTables,
    DraftTables,
    CaseWorkTables,
    ChatOutboxTables,
    ReportVersionTables,
    EndedVisitTables,
    RateLimitTables,
    CheckTables,
    UrgentTables,
    CompoundTables,
    MuleTables,
    MailOutboxTables,
    SendPacingTables {}

export type StoreDatabase = Kysely<Database>;
