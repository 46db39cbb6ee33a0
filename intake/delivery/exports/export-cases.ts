import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import { listAgencyCases, listShareableCases } from '../agency-cases.js';
import { buildCaseDocument, type CaseDocument, type CaseDocumentSources } from '../case-document.js';
import { casesToCsv } from './cases-csv.js';
import { casesToMispEvent } from './indicators-misp.js';
import { casesToStixBundle, stixMediaType } from './cases-stix.js';
import { defaultExportMarking, mispMarking, type ExportMarking } from './export-marking.js';

export const exportFormats = ['csv', 'json', 'misp', 'stix'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The most cases one export holds; a larger history is exported in `since` windows. */
export const maxExportCases = 10_000;

export interface ExportResult {
  contentType: string;
  fileName: string;
  body: string;
  count: number;
}

/**
 * Cases as a file for an analyst: CSV for a spreadsheet, JSON for a program,
 * or the indicators as a MISP event for a threat-sharing platform. An agency
 * exports only its own cases; an administrator (agencyId null) every case
 * that may be shared. `hxl` (CSV only) adds a second row of HXL hashtags.
 */
export async function exportCases(
  db: Kysely<Database>,
  sources: CaseDocumentSources,
  options: {
    format: ExportFormat;
    agencyId: string | null;
    since?: string;
    now: Date;
    hxl?: boolean;
    marking?: ExportMarking;
  },
): Promise<ExportResult> {
  const marking = options.marking ?? defaultExportMarking;
  const since = options.since ? { since: options.since } : {};
  const entries =
    options.agencyId === null
      ? await listShareableCases(db, { limit: maxExportCases, ...since })
      : (await listAgencyCases(db, options.agencyId, { limit: maxExportCases, ...since })).items.reverse();
  const documents: CaseDocument[] = [];
  for (const entry of entries) {
    const document = await buildCaseDocument(sources, entry.reportId, options.agencyId);
    if (document) documents.push(document);
  }
  const stamp = options.now.toISOString().slice(0, 10);
  const scope = options.agencyId ?? 'all';
  switch (options.format) {
    case 'csv':
      return {
        contentType: 'text/csv; charset=utf-8',
        fileName: `reportline-cases-${scope}-${stamp}.csv`,
        body: casesToCsv(documents, { hxl: options.hxl ?? false }),
        count: documents.length,
      };
    case 'json':
      return {
        contentType: 'application/json',
        fileName: `reportline-cases-${scope}-${stamp}.json`,
        body: JSON.stringify({ exportedAt: options.now.toISOString(), cases: documents }, null, 2),
        count: documents.length,
      };
    case 'misp':
      return {
        contentType: 'application/json',
        fileName: `reportline-misp-${scope}-${stamp}.json`,
        body: JSON.stringify(casesToMispEvent(documents, { now: options.now, ...mispMarking(marking) }), null, 2),
        count: documents.length,
      };
    case 'stix':
      return {
        contentType: stixMediaType,
        fileName: `reportline-stix-${scope}-${stamp}.json`,
        body: JSON.stringify(casesToStixBundle(documents, { tlp: marking.tlp }), null, 2),
        count: documents.length,
      };
  }
}
