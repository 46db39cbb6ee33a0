import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../intake/compounds/compound-distance.js';
import { parseCompoundForm } from '../../intake/compounds/compound-input.js';
import { matchableCompound, matchableReport, matchReport } from '../../intake/compounds/compound-matching.js';
import { containsName, nameForms, searchableText } from '../../intake/compounds/compound-names.js';
import { parseReportInput } from '../../intake/report/validate-report.js';

const names = (text: string, name: string) => nameForms(name).some((form) => containsName(searchableText(text), form));

describe('a compound name found in what a person wrote', () => {
  it.each([
    ['I am held in KK Park near Myawaddy', 'KK Park'],
    ['Ｋｋ　Ｐａｒｋ, building 3', 'KK Park'],
    ['they call it kkpark here', 'KK Park'],
    ['the Golden Triangle SEZ, on the Laos side', 'Golden Triangle SEZ'],
    ['Shwe-Kokko!', 'Shwe Kokko'],
    ['ฉันถูกขังอยู่ที่เคเคปาร์คใกล้เมียวดี', 'เคเคปาร์ค'],
    ['ကျွန်တော်ရွှေကုက္ကိုမှာ', 'ရွှေကုက္ကို'],
    ['ကျွန်တော်\u200bရွှေကုက္ကို\u200bမှာ', 'ရွှေကုက္ကို'],
    ['我被困在妙瓦底KK园区', 'KK园区'],
    ['我在妙瓦底', '妙瓦底'],
    ['KK파크에서 일했어요', 'KK파크'],
    ['私はKKパークで働かされた', 'KKパーク'],
  ])('finds it as a whole word: %s', (text, name) => {
    expect(names(text, name)).toBe(true);
  });

  it.each([
    ['They drove past the KK Parking lot', 'KK Park'],
    ['Shwe Kokkostan is a game', 'Shwe Kokko'],
    ['We met at the ShweKokkoland bar', 'Shwe Kokko'],
    ['the Golden Triangle Special Economic Zone', 'Golden Triangle SEZ'],
    ['a sparkling drink', 'park'],
  ])('does not find it inside another word: %s', (text, name) => {
    expect(names(text, name)).toBe(false);
  });

  it('proposes by distance within the radius only, and by name', () => {
    const compound = matchableCompound({
      id: 'c1',
      name: 'KK Park',
      aliases: ['KK园区'],
      latitude: 16.7416,
      longitude: 98.5325,
    });
    const at = (latitude: number, narrative = 'Help') =>
      matchableReport(
        parseReportInput({
          consent: { shareWithLawEnforcement: true },
          victim: { coordinates: { latitude, longitude: 98.5325 } },
          incident: { narrative },
        }),
      );
    // 0.0045 degrees of latitude is half a kilometre; one degree of longitude at the equator about 111.2 km.
    expect(
      distanceMeters({ latitude: 16.7416, longitude: 98.5325 }, { latitude: 16.7461, longitude: 98.5325 }),
    ).toBeCloseTo(500.4, 0);
    expect(distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 }) / 1000).toBeCloseTo(111.2, 1);
    expect(matchReport(at(16.7461), [compound], 1000)).toMatchObject([
      { compoundId: 'c1', reason: 'location', detail: { distanceMeters: 500 } },
    ]);
    expect(matchReport(at(16.7866), [compound], 1000)).toEqual([]);
    expect(matchReport(at(16.7866, '我在KK园区'), [compound], 1000)).toMatchObject([
      { reason: 'name', detail: { reasons: ['name'], name: 'KK园区' } },
    ]);
    expect(matchReport(at(16.7461, 'KK Park'), [compound], 400)).toMatchObject([{ reason: 'name' }]);
  });
});

describe('a compound entry as staff write it', () => {
  const form = {
    name: 'KK Park',
    aliases: 'KK园区\n\nkk park\nเคเคปาร์ค',
    country: 'mm',
    area: '',
    latitude: '16,7416',
    longitude: '98.5325',
    landmarks: '',
    status: 'active',
    notes: '',
  };

  it('is read with its lists one a line, repeats dropped, the country upper case', () => {
    expect(parseCompoundForm(form)).toEqual({
      ok: true,
      value: {
        name: 'KK Park',
        aliases: ['KK园区', 'เคเคปาร์ค'],
        country: 'MM',
        area: null,
        latitude: 16.7416,
        longitude: 98.5325,
        landmarks: [],
        status: 'active',
        notes: null,
      },
    });
  });

  it('is refused with every problem at once', () => {
    const result = parseCompoundForm({
      ...form,
      name: '',
      country: 'Burma',
      latitude: '',
      status: 'open',
      aliases: Array.from({ length: 51 }, (_, index) => `name ${index}`).join('\n'),
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { field: 'name', code: 'required' },
      { field: 'country', code: 'country' },
      { field: 'status', code: 'status' },
      { field: 'latitude', code: 'coordinates_pair' },
      { field: 'aliases', code: 'many_lines' },
    ]);
    expect(parseCompoundForm({ ...form, longitude: '200' })).toMatchObject({
      ok: false,
      problems: [{ field: 'longitude', code: 'coordinates' }],
    });
  });
});
