import type { Kysely } from 'kysely';
import { isStaff, type CaseActor } from '../cases/case-actor.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { casesRoutedTo } from '../delivery/agency-cases.js';
import type { Indicator, IndicatorKind } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import { indicatorsContext } from '../store/report-store.js';
import type { ProposalDetail, ProposalReason } from './compound-matching.js';
import { compoundOfRow, type Compound } from './compound-rows.js';

export interface CompoundReadDependencies {
  db: Kysely<Database>;
  cipher: FieldCipher;
  links: IndicatorLinks;
}

export interface CompoundCounts {
  proposed: number;
  confirmed: number;
  /** Confirmed cases whose person is held now: urgent and still open. */
  heldNow: number;
}

export interface CompoundListEntry {
  compound: Compound;
  counts: CompoundCounts;
}

export interface CompoundCaseEntry {
  reportId: string;
  reference: string;
  createdAt: string;
  status: string;
  urgent: boolean;
  open: boolean;
  state: 'proposed' | 'confirmed' | 'rejected';
  reason: ProposalReason;
  detail: ProposalDetail;
  proposedAt: string;
  decidedAt: string | null;
}

/** The groups of indicators a compound page lists: who recruited, where the money went. */
export const linkedIndicatorGroups = {
  recruiters: ['telegram', 'line', 'whatsapp', 'phone', 'email', 'url', 'domain'],
  accounts: ['bank_account', 'iban'],
  wallets: ['crypto_address'],
} as const satisfies Record<string, readonly IndicatorKind[]>;
export type LinkedIndicatorGroup = keyof typeof linkedIndicatorGroups;

export interface LinkedIndicator {
  kind: IndicatorKind;
  value: string;
  /** How many of the compound's confirmed cases carry it. */
  cases: number;
}

export interface CompoundFile {
  compound: Compound;
  counts: CompoundCounts;
  heldNow: CompoundCaseEntry[];
  confirmed: CompoundCaseEntry[];
  /** Staff only: what the matcher proposes and staff have not decided. */
  proposed: CompoundCaseEntry[];
  rejected: number;
  /** Confirmed cases by the month they were reported (`YYYY-MM`), every month from the first to the last. */
  months: Array<{ month: string; reports: number }>;
  indicators: Record<LinkedIndicatorGroup, LinkedIndicator[]>;
}

/** A compound a case is proposed for or confirmed on, for the case page. */
export interface CaseCompound {
  compoundId: string;
  name: string;
  country: string;
  status: string;
  state: 'proposed' | 'confirmed' | 'rejected';
  reason: ProposalReason;
  detail: ProposalDetail;
  proposedAt: string;
  decidedAt: string | null;
}

/** At most this many months are shown; the oldest go first. */
const maxMonths = 60;
/** The cases whose indicators a page reads at most (the most recent). */
const maxIndicatorCases = 2000;

function detailOf(json: string): ProposalDetail {
  const parsed = JSON.parse(json) as Partial<ProposalDetail>;
  return { ...parsed, reasons: Array.isArray(parsed.reasons) ? parsed.reasons : [] };
}

function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months.slice(-maxMonths);
}

/**
 * What the console reads of the register: for hotline staff every compound
 * and every case on it; for an agency only compounds with a confirmed case
 * routed to it, and of those only its own cases (counted, listed, their
 * indicators), found from the agency's own routing rows as its inbox is.
 * Nothing here changes anything.
 */
export function createCompoundReadModels(dependencies: CompoundReadDependencies) {
  const { db, cipher } = dependencies;

  /** The compound's cases the actor may see, in one state or any. */
  function visibleCases(actor: CaseActor, compoundId: string) {
    const base = isStaff(actor) ? db.selectFrom('reports') : casesRoutedTo(db, actor.agencyId ?? '\u0000no agency');
    return base
      .innerJoin('compound_cases', 'compound_cases.report_id', 'reports.id')
      .where('compound_cases.compound_id', '=', compoundId)
      .select([
        'reports.id as reportId',
        'reports.reference',
        'reports.created_at as createdAt',
        'reports.status',
        'reports.urgent',
        'reports.in_queue as inQueue',
        'compound_cases.state',
        'compound_cases.reason',
        'compound_cases.detail',
        'compound_cases.proposed_at as proposedAt',
        'compound_cases.decided_at as decidedAt',
      ]);
  }

  async function countsByCompound(actor: CaseActor): Promise<Map<string, CompoundCounts>> {
    const base = isStaff(actor) ? db.selectFrom('reports') : casesRoutedTo(db, actor.agencyId ?? '\u0000no agency');
    const rows = await base
      .innerJoin('compound_cases', 'compound_cases.report_id', 'reports.id')
      .select([
        'compound_cases.compound_id as compoundId',
        'compound_cases.state',
        'reports.urgent',
        'reports.in_queue',
      ])
      .where('compound_cases.state', 'in', isStaff(actor) ? ['proposed', 'confirmed'] : ['confirmed'])
      .execute();
    const counts = new Map<string, CompoundCounts>();
    for (const row of rows) {
      const entry = counts.get(row.compoundId) ?? { proposed: 0, confirmed: 0, heldNow: 0 };
      if (row.state === 'proposed') entry.proposed += 1;
      else {
        entry.confirmed += 1;
        if (row.urgent === 1 && Number(row.in_queue) === 1) entry.heldNow += 1;
      }
      counts.set(row.compoundId, entry);
    }
    return counts;
  }

  function forAgency(compound: Compound, actor: CaseActor): Compound {
    // Sources and notes are the hotline's own working notes.
    return isStaff(actor) ? compound : { ...compound, notes: null };
  }

  async function linkedIndicators(
    cases: CompoundCaseEntry[],
  ): Promise<Record<LinkedIndicatorGroup, LinkedIndicator[]>> {
    const ids = cases.slice(-maxIndicatorCases).map((entry) => entry.reportId);
    const counted = new Map<string, LinkedIndicator>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await db
        .selectFrom('reports')
        .select(['id', 'indicators_enc'])
        .where('id', 'in', ids.slice(start, start + 500))
        .execute();
      for (const row of rows) {
        const seen = new Set<string>();
        for (const indicator of cipher.decryptJson<Indicator[]>(row.indicators_enc, indicatorsContext(row.id))) {
          const key = `${indicator.kind}:${indicator.value}`;
          if (seen.has(key) || !dependencies.links.links(indicator)) continue;
          seen.add(key);
          const entry = counted.get(key) ?? { kind: indicator.kind, value: indicator.value, cases: 0 };
          entry.cases += 1;
          counted.set(key, entry);
        }
      }
    }
    const all = [...counted.values()].sort((a, b) => b.cases - a.cases || a.value.localeCompare(b.value));
    const group = (kinds: readonly IndicatorKind[]) => all.filter((entry) => kinds.includes(entry.kind));
    return {
      recruiters: group(linkedIndicatorGroups.recruiters),
      accounts: group(linkedIndicatorGroups.accounts),
      wallets: group(linkedIndicatorGroups.wallets),
    };
  }

  return {
    /** Every compound the actor may see, by country and name, with its counts. */
    async list(actor: CaseActor): Promise<CompoundListEntry[]> {
      const counts = await countsByCompound(actor);
      let query = db.selectFrom('compounds').selectAll().orderBy('country').orderBy('name').orderBy('id');
      if (!isStaff(actor)) {
        const ids = [...counts.keys()];
        if (ids.length === 0) return [];
        query = query.where('id', 'in', ids);
      }
      const rows = await query.execute();
      return rows.map((row) => ({
        compound: forAgency(compoundOfRow(row), actor),
        counts: counts.get(row.id) ?? { proposed: 0, confirmed: 0, heldNow: 0 },
      }));
    },

    /** One compound as its page shows it, or undefined when it does not exist or is not the actor's to see. */
    async file(actor: CaseActor, compoundId: string): Promise<CompoundFile | undefined> {
      const row = await db.selectFrom('compounds').selectAll().where('id', '=', compoundId).executeTakeFirst();
      if (!row) return undefined;
      const rows = await visibleCases(actor, compoundId).orderBy('reports.created_at').orderBy('reports.id').execute();
      const cases: CompoundCaseEntry[] = rows.map((entry) => ({
        reportId: entry.reportId,
        reference: entry.reference,
        createdAt: entry.createdAt,
        status: entry.status,
        urgent: entry.urgent === 1,
        open: Number(entry.inQueue) === 1,
        state: entry.state as CompoundCaseEntry['state'],
        reason: entry.reason as ProposalReason,
        detail: detailOf(entry.detail),
        proposedAt: entry.proposedAt,
        decidedAt: entry.decidedAt,
      }));
      const confirmed = cases.filter((entry) => entry.state === 'confirmed');
      // An agency sees a compound only through its own confirmed cases.
      if (!isStaff(actor) && confirmed.length === 0) return undefined;
      const heldNow = confirmed.filter((entry) => entry.urgent && entry.open);
      const proposed = isStaff(actor) ? cases.filter((entry) => entry.state === 'proposed') : [];
      const perMonth = new Map<string, number>();
      for (const entry of confirmed) {
        const month = entry.createdAt.slice(0, 7);
        perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      }
      const monthKeys = [...perMonth.keys()].sort();
      const months =
        monthKeys.length === 0
          ? []
          : monthsBetween(monthKeys[0]!, monthKeys[monthKeys.length - 1]!).map((month) => ({
              month,
              reports: perMonth.get(month) ?? 0,
            }));
      return {
        compound: forAgency(compoundOfRow(row), actor),
        counts: { proposed: proposed.length, confirmed: confirmed.length, heldNow: heldNow.length },
        heldNow,
        confirmed,
        proposed,
        rejected: isStaff(actor) ? cases.filter((entry) => entry.state === 'rejected').length : 0,
        months,
        indicators: await linkedIndicators(confirmed),
      };
    },

    /** The compounds a case is proposed for or confirmed on; an agency sees only the confirmed ones. */
    async ofCase(actor: CaseActor, reportId: string): Promise<CaseCompound[]> {
      let query = db
        .selectFrom('compound_cases')
        .innerJoin('compounds', 'compounds.id', 'compound_cases.compound_id')
        .select([
          'compounds.id as compoundId',
          'compounds.name',
          'compounds.country',
          'compounds.status',
          'compound_cases.state',
          'compound_cases.reason',
          'compound_cases.detail',
          'compound_cases.proposed_at as proposedAt',
          'compound_cases.decided_at as decidedAt',
        ])
        .where('compound_cases.report_id', '=', reportId)
        .orderBy('compound_cases.proposed_at')
        .orderBy('compounds.id');
      if (!isStaff(actor)) query = query.where('compound_cases.state', '=', 'confirmed');
      const rows = await query.execute();
      return rows.map((entry) => ({
        ...entry,
        state: entry.state as CaseCompound['state'],
        reason: entry.reason as ProposalReason,
        detail: detailOf(entry.detail),
      }));
    },
  };
}

export type CompoundReadModels = ReturnType<typeof createCompoundReadModels>;
