import type { Selectable } from 'kysely';
import type { CompoundsTable } from '../store/tables/compound-tables.js';
import type { CompoundStatus } from './compound-input.js';

/** An entry of the register as the intake hands it out. */
export interface Compound {
  id: string;
  name: string;
  aliases: string[];
  country: string;
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  landmarks: string[];
  status: CompoundStatus;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

function textList(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string') : [];
}

export function compoundOfRow(row: Selectable<CompoundsTable>): Compound {
  return {
    id: row.id,
    name: row.name,
    aliases: textList(row.aliases),
    country: row.country,
    area: row.area,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    landmarks: textList(row.landmarks),
    status: row.status as CompoundStatus,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
