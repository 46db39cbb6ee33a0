/** The register of scam compounds kept by hotline staff (migration 0024-compounds). */
export interface CompoundsTable {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The district, town or zone, in staff's words. */
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  /** JSON array of the other names it goes by, in any script ("KK Park", "เคเค ปาร์ค"). */
  aliases: string;
  /** JSON array of what people held there see or name around it. */
  landmarks: string;
  /** active | raided | closed | unknown */
  status: string;
  /** Sources and notes for staff. */
  notes: string | null;
  /** Grows with every edit of a name, an alias or the coordinates: the matcher looks at existing reports again. */
  revision: number;
  /** The revision the matcher last proposed for. */
  matched_revision: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A case proposed for, or confirmed on, a compound. One row per pair, decided once. */
export interface CompoundCasesTable {
  compound_id: string;
  report_id: string;
  /** proposed | confirmed | rejected */
  state: string;
  /** What proposed it first: location | name | shared_indicator */
  reason: string;
  /** JSON without personal data (distance in metres, the name matched, the linked report's reference). */
  detail: string;
  proposed_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

/**
 * A report the compound matcher has yet to look at (migration 0037-compound-scans-due): stored, or its `updated_at`
 * set, since it last did. Written by triggers on reports; deleted by the matcher once it looked.
 */
export interface CompoundScansDueTable {
  report_id: string;
  /** How many writes made it due since the row was made: the matcher deletes it only at the count it read. */
  marks: number;
}

export interface CompoundTables {
  compounds: CompoundsTable;
  compound_cases: CompoundCasesTable;
  compound_scans_due: CompoundScansDueTable;
}
