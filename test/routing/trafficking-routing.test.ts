import { describe, expect, it } from 'vitest';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { languageCodes } from '../../intake/i18n/languages.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { describeRouting, routingReaders } from '../../intake/routing/describe-routing.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';
import { consularDeskIds, writeConsularDeployment } from '../conversation/screening-deployment.js';
import { keyWording } from './key-wording.js';

const directory = loadAgencyDirectory({ deploymentFile: writeConsularDeployment() });
const keys = keyWording(directory);
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

const route = (report: Omit<ReportInput, 'consent'>) =>
  routeReport(parseReportInput({ consent: { shareWithLawEnforcement: true }, ...report }), directory);
const copies = (decision: ReturnType<typeof route>) =>
  Object.fromEntries(decision.copies.map((copy) => [copy.agencyId, copy.reason.key]));

describe('routing a likely trafficking victim', () => {
  it('adds the anti-trafficking unit where they are, with the screening as its reason, to a case not urgent and not a fake job', () => {
    const victim = { nationality: 'KR', residenceCountry: 'KR', currentCountry: 'TH' };
    const screened = route({
      victim,
      incident: { category: 'investment_crypto' },
      screening: { indicators: ['threats_or_violence'] },
    });
    expect(screened.urgent).toBe(false);
    expect(copies(screened)['th-oscc']).toBe('reasons.copyTraffickingScreened');
    // The same story without the screening's answers: no anti-trafficking unit.
    expect(copies(route({ victim, incident: { category: 'investment_crypto' } }))['th-oscc']).toBeUndefined();
    // One medium indicator alone does not make the mark.
    expect(
      copies(
        route({ victim, incident: { category: 'investment_crypto' }, screening: { indicators: ['wages_withheld'] } }),
      )['th-oscc'],
    ).toBeUndefined();
  });

  it('takes the compound’s country when where they are is not known, and tells the consular desk of their nationality', () => {
    const decision = route({
      victim: { nationality: 'ID' },
      suspects: { compound: { country: 'PH' } },
      screening: { indicators: ['debt_to_employer', 'forced_to_scam'] },
    });
    expect(copies(decision)).toMatchObject({
      'ph-iacat': 'reasons.copyTraffickingScreened',
      [consularDeskIds.ID]: 'reasons.copyConsularScreened',
    });
  });

  it('does not call the consular desk of someone held in their own country', () => {
    const decision = route({
      victim: { nationality: 'KH', currentCountry: 'KH' },
      safety: { heldAgainstWill: true },
      screening: { indicators: ['documents_taken'] },
    });
    expect(decision.primary?.agencyId).toBe('kh-cnp');
    expect(Object.keys(copies(decision))).not.toContain(consularDeskIds.KH);
  });

  it('an urgent case held abroad: the police there lead, the unit and the consular desk are copied (Burmese in Thailand)', () => {
    const decision = route({
      victim: { nationality: 'MM', currentCountry: 'TH' },
      safety: { heldAgainstWill: true },
      screening: { indicators: ['documents_taken'] },
    });
    expect(decision.primary?.agencyId).toBe('th-rtp');
    expect(Object.keys(copies(decision))).toEqual(expect.arrayContaining(['th-oscc', consularDeskIds.MM]));
  });

  it('words each added agency’s reason for every reader, in every language', () => {
    const decision = route({
      victim: { nationality: 'ID' },
      suspects: { compound: { country: 'PH' } },
      screening: { indicators: ['documents_taken'] },
    });
    for (const reader of routingReaders) {
      const lines = describeRouting(decision, { reader, language: 'en' }, keys).join('\n');
      expect(lines).toMatch(
        reader === 'reporter' ? /reasons\.copyConsularScreened/ : /caseReasons\.copyConsularScreened/,
      );
      expect(lines).toMatch(
        reader === 'reporter' ? /reasons\.copyTraffickingScreened/ : /caseReasons\.copyTraffickingScreened/,
      );
      for (const language of languageCodes) {
        const words = describeRouting(decision, { reader, language }, { directory, i18n }).join('\n');
        expect(words, `${reader} ${language}`).not.toMatch(/copy(Consular|Trafficking)Screened/);
      }
    }
  });
});
