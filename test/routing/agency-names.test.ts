import { describe, expect, it } from 'vitest';
import { agencySchema } from '../../intake/routing/directory-schema.js';
import { agencyName } from '../../intake/routing/display-names.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';

/**
 * A reporter reads an agency's name in their own language where the directory
 * has it: the agency's own name in its language, a translation the directory
 * records for other languages, else the English name.
 */

const directory = loadAgencyDirectory();

describe('an agency’s name for a reader', () => {
  it('is its own name in its own language, a recorded translation in another, else English', () => {
    const cambodia = directory.agencies.get('kh-cnp')!;
    expect(agencyName(directory, 'kh-cnp', 'km')).toBe(cambodia.name.local);
    expect(agencyName(directory, 'kh-cnp', 'ko')).toBe(cambodia.name.translations?.ko);
    expect(agencyName(directory, 'kh-cnp', 'ko')).not.toBe(cambodia.name.en);
    expect(cambodia.name.translations?.fil).toBeUndefined();
    expect(agencyName(directory, 'kh-cnp', 'fil')).toBe(cambodia.name.en);
    expect(agencyName(directory, 'no-such-agency', 'ko')).toBe('no-such-agency');
  });

  it('is in Korean for every police agency of the alliance, the hotline’s first readers', () => {
    const english = [...directory.agencies.values()]
      .filter((agency) => agency.roles.includes('police') || agency.roles.includes('international'))
      .filter((agency) => agencyName(directory, agency.id, 'ko') === agency.name.en)
      .map((agency) => agency.id);
    expect(english).toEqual([]);
  });

  it('is never recorded for a language the project does not have, nor empty', () => {
    const base = directory.agencies.get('kh-cnp')!;
    expect(agencySchema.safeParse({ ...base, name: { en: 'X', translations: { xx: 'Y' } } }).success).toBe(false);
    expect(agencySchema.safeParse({ ...base, name: { en: 'X', translations: { ko: ' ' } } }).success).toBe(false);
    expect(
      agencySchema.safeParse({ ...base, name: { en: 'X', translations: { ko: '캄보디아 국가경찰' } } }).success,
    ).toBe(true);
  });
});
