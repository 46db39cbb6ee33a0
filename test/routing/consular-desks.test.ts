import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';

/**
 * The consular services and anti-trafficking units the shipped directory holds, each contact naming the public
 * page it was taken from (its `source`; the deploying organization confirms them before going live).
 */

const directory = loadAgencyDirectory();
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
const folder = mkdtempSync(join(tmpdir(), 'reportline-consular-desks-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const route = (report: Omit<ReportInput, 'consent'>) =>
  routeReport(parseReportInput({ consent: { shareWithLawEnforcement: true }, ...report }), directory);
const copies = (decision: ReturnType<typeof route>) =>
  Object.fromEntries(decision.copies.map((copy) => [copy.agencyId, copy.reason.key]));

describe('the consular desk of a national held abroad', () => {
  it('is copied for a Thai national held in Myanmar, after the Thai police, and its line is shown to them', () => {
    const decision = route({
      victim: { nationality: 'TH', residenceCountry: 'TH', currentCountry: 'MM' },
      safety: { heldAgainstWill: true },
    });
    expect(decision.primary?.agencyId).toBe('mm-police');
    expect(decision.copies.map((copy) => copy.agencyId)).toEqual(['th-rtp', 'th-mfa-consular', 'aseanapol']);
    expect(copies(decision)['th-mfa-consular']).toBe('reasons.copyConsular');

    const t = i18n.getFixedT('th', 'routing');
    const shown = emergencyContactsFor(directory, 'MM', t, 'th', 'TH');
    const desk = directory.agencies.get('th-mfa-consular')!;
    expect(shown[0]?.agencyId).toBe('mm-police');
    expect(shown.at(-1)).toEqual({
      agencyId: 'th-mfa-consular',
      label: t(desk.contacts[0]!.labelKey),
      agency: desk.name.local,
      phone: desk.contacts[0]!.phone,
    });
  });

  it('is not shown as a number of its own country to the people in it', () => {
    const t = i18n.getFixedT('en', 'routing');
    const inThailand = emergencyContactsFor(directory, 'TH', t, 'en', 'KR').map((contact) => contact.agencyId);
    expect(inThailand).not.toContain('th-mfa-consular');
    expect(inThailand).toEqual(expect.arrayContaining(['th-rtp', 'th-oscc']));
    expect(inThailand.at(-1)).toBe('kr-mofa-consular');
    const noCountry = emergencyContactsFor(directory, undefined, i18n.getFixedT('th', 'routing'), 'th');
    expect(noCountry.map((contact) => contact.agencyId)).not.toContain('th-mfa-consular');
  });

  it('is copied with the screening’s reason for a likely trafficking victim held at an unknown place, beside the unit of the compound’s country', () => {
    const decision = route({
      victim: { nationality: 'ID' },
      suspects: { compound: { country: 'MY' } },
      screening: { indicators: ['documents_taken', 'forced_to_scam'] },
    });
    expect(copies(decision)).toMatchObject({
      'id-kemlu-pwni': 'reasons.copyConsularScreened',
      'my-mapo': 'reasons.copyTraffickingScreened',
    });
  });

  it('is not called for someone held in their own country', () => {
    const decision = route({ victim: { nationality: 'VN', currentCountry: 'VN' }, safety: { heldAgainstWill: true } });
    expect(decision.primary?.agencyId).toBe('vn-mps');
    expect(Object.keys(copies(decision))).toEqual(expect.arrayContaining(['vn-111-trafficking']));
    expect(Object.keys(copies(decision))).not.toContain('vn-mofa-consular');
  });

  it('is the deployment’s own desk when its directory file adds one for that nationality', () => {
    const file = join(folder, 'deployment.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencies: [
          {
            id: 'th-partner-consular',
            country: 'TH',
            name: { en: 'A consular desk the deployment agreed with' },
            roles: ['consular'],
            handles: ['consular'],
            scope: 'consular',
            consularFor: 'TH',
            contacts: [],
          },
        ],
      }),
    );
    const deployed = loadAgencyDirectory({ deploymentFile: file });
    expect(deployed.consularFor('TH')?.id).toBe('th-partner-consular');
    expect(directory.consularFor('TH')?.id).toBe('th-mfa-consular');
  });
});

describe('the shipped consular services and anti-trafficking units', () => {
  const agencies = [...directory.agencies.values()];

  it('are one consular service per nationality, its own country’s, reachable by a sourced consular contact', () => {
    const consular = agencies.filter((agency) => agency.roles.includes('consular'));
    expect(consular.map((agency) => agency.consularFor).sort()).toEqual(
      ['AE', 'CN', 'ID', 'JP', 'KR', 'PH', 'SG', 'TH', 'US', 'VN'].sort(),
    );
    for (const agency of consular) {
      expect(agency.consularFor, agency.id).toBe(agency.country);
      expect(agency.scope, agency.id).toBe('consular');
      expect(directory.consularFor(agency.consularFor!)?.id, agency.id).toBe(agency.id);
      expect(agency.contacts.length, agency.id).toBeGreaterThan(0);
      for (const contact of agency.contacts) {
        expect(contact.kind, agency.id).toBe('consular');
        expect(contact.phone ?? contact.url, agency.id).toBeDefined();
        expect(contact.source, agency.id).toMatch(/^https?:\/\//);
      }
    }
  });

  it('have their labels in every project language', () => {
    const labels = new Set(agencies.flatMap((agency) => agency.contacts.map((contact) => contact.labelKey)));
    for (const language of Object.keys(loadLocaleResources(defaultLocalesDir))) {
      for (const label of labels) {
        expect(i18n.exists(`routing:${label}`, { lng: language, fallbackLng: false }), `${language} ${label}`).toBe(
          true,
        );
      }
    }
  });

  it('are the trafficking unit the routing finds for each country that has one', () => {
    const units = Object.fromEntries(
      ['PH', 'TH', 'US', 'SG', 'VN', 'MY', 'LA', 'KR'].map((country) => [
        country,
        directory.byRole(country, 'trafficking')?.id,
      ]),
    );
    expect(units).toEqual({
      PH: 'ph-iacat',
      TH: 'th-oscc',
      US: 'us-nhth',
      SG: 'sg-tip-taskforce',
      VN: 'vn-111-trafficking',
      MY: 'my-mapo',
      LA: 'la-lwu-counselling',
      KR: 'kr-trafficking-victims',
    });
  });
});
