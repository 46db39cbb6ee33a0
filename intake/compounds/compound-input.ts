import { z } from 'zod';
import { isCountryCode } from '../i18n/country-codes.js';

export const compoundStatuses = ['active', 'raided', 'closed', 'unknown'] as const;
export type CompoundStatus = (typeof compoundStatuses)[number];

/** What staff write about a compound, checked: the register's one shape for an entry. */
export interface CompoundInput {
  name: string;
  aliases: string[];
  country: string;
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  landmarks: string[];
  status: CompoundStatus;
  notes: string | null;
}

/** Why a field was refused; the console words each in the reader's language (`compounds.problem.<code>`). */
export type CompoundProblemCode =
  'required' | 'too_long' | 'many_lines' | 'country' | 'coordinates' | 'coordinates_pair' | 'status';

export interface CompoundProblem {
  field: keyof CompoundInput;
  code: CompoundProblemCode;
}

export const compoundLimits = { name: 200, area: 200, notes: 4000, listItems: 50, listItem: 200 } as const;

/** The form as posted: every field text, the lists one entry a line. */
export const compoundFormSchema = z.object({
  name: z.string().max(2000).default(''),
  aliases: z.string().max(40_000).default(''),
  country: z.string().max(20).default(''),
  area: z.string().max(2000).default(''),
  latitude: z.string().max(40).default(''),
  longitude: z.string().max(40).default(''),
  landmarks: z.string().max(40_000).default(''),
  status: z.string().max(20).default(''),
  notes: z.string().max(40_000).default(''),
});
export type CompoundForm = z.infer<typeof compoundFormSchema>;

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

function coordinate(text: string, limit: number): number | null | 'bad' {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  if (!/^-?\d{1,3}(\.\d{1,10})?$/.test(trimmed)) return 'bad';
  const value = Number(trimmed);
  return Math.abs(value) <= limit ? value : 'bad';
}

/**
 * A posted compound form as an entry of the register, or every problem with
 * it at once (so one answer shows them all, and the form keeps what was
 * typed). Duplicate aliases, and an alias that repeats the name, are dropped.
 */
export function parseCompoundForm(
  form: CompoundForm,
): { ok: true; value: CompoundInput } | { ok: false; problems: CompoundProblem[] } {
  const problems: CompoundProblem[] = [];
  const name = form.name.trim();
  if (name === '') problems.push({ field: 'name', code: 'required' });
  else if (name.length > compoundLimits.name) problems.push({ field: 'name', code: 'too_long' });
  const country = form.country.trim().toUpperCase();
  if (!isCountryCode(country)) problems.push({ field: 'country', code: 'country' });
  const area = form.area.trim();
  if (area.length > compoundLimits.area) problems.push({ field: 'area', code: 'too_long' });
  const notes = form.notes.trim();
  if (notes.length > compoundLimits.notes) problems.push({ field: 'notes', code: 'too_long' });
  const status = form.status.trim();
  if (!(compoundStatuses as readonly string[]).includes(status)) problems.push({ field: 'status', code: 'status' });
  const latitude = coordinate(form.latitude, 90);
  const longitude = coordinate(form.longitude, 180);
  if (latitude === 'bad') problems.push({ field: 'latitude', code: 'coordinates' });
  if (longitude === 'bad') problems.push({ field: 'longitude', code: 'coordinates' });
  if (latitude !== 'bad' && longitude !== 'bad' && (latitude === null) !== (longitude === null))
    problems.push({ field: latitude === null ? 'latitude' : 'longitude', code: 'coordinates_pair' });
  const list = (field: 'aliases' | 'landmarks', text: string, without: string[]) => {
    const seen = new Set(without.map((entry) => entry.toLowerCase()));
    const entries = lines(text).filter((entry) => {
      const key = entry.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (entries.length > compoundLimits.listItems) problems.push({ field, code: 'many_lines' });
    else if (entries.some((entry) => entry.length > compoundLimits.listItem))
      problems.push({ field, code: 'too_long' });
    return entries;
  };
  const aliases = list('aliases', form.aliases, [name]);
  const landmarks = list('landmarks', form.landmarks, []);
  if (problems.length > 0 || latitude === 'bad' || longitude === 'bad') return { ok: false, problems };
  return {
    ok: true,
    value: {
      name,
      aliases,
      country,
      area: area || null,
      latitude,
      longitude,
      landmarks,
      status: status as CompoundStatus,
      notes: notes || null,
    },
  };
}
