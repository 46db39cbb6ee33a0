import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';
import { describeRouting, routingReaders } from '../../intake/routing/describe-routing.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { keyWording } from './key-wording.js';

const directory = loadAgencyDirectory();
const keys = keyWording(directory);
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

interface Scenario {
  name: string;
  report: Omit<ReportInput, 'consent'> & { consent?: ReportInput['consent'] };
  primary: string | undefined;
  copies: string[];
  urgent: boolean;
}

const held = { heldAgainstWill: true };
const person = (nationality: string | undefined, residence: string | undefined, current: string | undefined) => ({
  ...(nationality ? { nationality } : {}),
  ...(residence ? { residenceCountry: residence } : {}),
  ...(current ? { currentCountry: current } : {}),
});

/** Every country of the directory is the primary of at least one scenario. */
const scenarios: Scenario[] = [
  {
    name: 'a Korean held in a compound in Sihanoukville',
    report: {
      victim: person('KR', 'KR', 'KH'),
      safety: held,
      incident: { category: 'fake_job_compound' },
      suspects: { compound: { place: 'Sihanoukville', country: 'KH' } },
    },
    primary: 'kh-cnp',
    copies: ['kr-knpa', 'kr-mofa-consular', 'interpol'],
    urgent: true,
  },
  {
    name: 'a Thai national held in Myawaddy',
    report: {
      victim: person('TH', 'TH', 'MM'),
      safety: held,
      incident: { category: 'fake_job_compound' },
      suspects: { compound: { place: 'Myawaddy', country: 'MM' } },
    },
    primary: 'mm-police',
    copies: ['th-rtp', 'th-mfa-consular', 'aseanapol'],
    urgent: true,
  },
  {
    name: 'a Vietnamese held in the Golden Triangle zone in Laos',
    report: { victim: person('VN', 'VN', 'LA'), safety: held, suspects: { compound: { country: 'LA' } } },
    primary: 'la-police',
    copies: ['vn-mps', 'vn-mofa-consular', 'la-lwu-counselling', 'aseanapol'],
    urgent: true,
  },
  {
    name: 'an Indonesian held in Cambodia',
    report: { victim: person('ID', 'ID', 'KH'), safety: held, incident: { category: 'fake_job_compound' } },
    primary: 'kh-cnp',
    copies: ['id-polri', 'id-kemlu-pwni', 'aseanapol'],
    urgent: true,
  },
  {
    name: 'a Filipino held in Myanmar',
    report: { victim: person('PH', 'PH', 'MM'), safety: held },
    primary: 'mm-police',
    copies: ['ph-pnp', 'ph-dfa-oumwa', 'aseanapol'],
    urgent: true,
  },
  {
    name: 'a Chinese national held in a Philippine scam hub',
    report: {
      victim: person('CN', 'CN', 'PH'),
      safety: held,
      incident: { category: 'fake_job_compound' },
      suspects: { compound: { country: 'PH' } },
    },
    primary: 'ph-pnp',
    copies: ['cn-mps', 'cn-mfa-12308', 'ph-iacat', 'interpol'],
    urgent: true,
  },
  {
    name: 'a Malaysian held in Thailand',
    report: { victim: person('MY', 'MY', 'TH'), safety: held },
    primary: 'th-rtp',
    copies: ['my-rmp', 'th-oscc', 'aseanapol'],
    urgent: true,
  },
  {
    name: 'a Japanese held in Cambodia',
    report: { victim: person('JP', 'JP', 'KH'), safety: held },
    primary: 'kh-cnp',
    copies: ['jp-npa', 'jp-mofa-consular', 'interpol'],
    urgent: true,
  },
  {
    name: 'a romance scam of a Korean at home',
    report: { victim: person('KR', 'KR', 'KR'), incident: { category: 'romance' } },
    primary: 'kr-knpa',
    copies: ['kr-fss'],
    urgent: false,
  },
  {
    name: 'a Korean investor whose money went to a Thai bank, scammers in Cambodia',
    report: {
      victim: person('KR', 'KR', undefined),
      incident: { category: 'investment_crypto' },
      suspects: { compound: { country: 'KH' } },
      losses: { payments: [{ amount: 500000, currency: 'THB', toAccount: 'Kasikorn 123-4-56789-0' }] },
    },
    primary: 'kr-knpa',
    copies: ['kh-cnp', 'th-rtp', 'kr-fss', 'aseanapol'],
    urgent: false,
  },
  {
    name: 'voice phishing of a Thai at home',
    report: { victim: person('TH', 'TH', 'TH'), incident: { category: 'voice_phishing' } },
    primary: 'th-rtp',
    copies: ['th-aoc'],
    urgent: false,
  },
  {
    name: 'an investment scam in Singapore',
    report: { victim: person(undefined, 'SG', undefined), incident: { category: 'investment_crypto' } },
    primary: 'sg-spf',
    copies: [],
    urgent: false,
  },
  {
    name: 'a pig-butchering scam in the United States',
    report: { victim: person('US', 'US', 'US'), incident: { category: 'romance' } },
    primary: 'us-fbi-ic3',
    copies: [],
    urgent: false,
  },
  {
    name: 'a fake job offer to someone living in the UAE',
    report: { victim: person(undefined, 'AE', undefined), incident: { category: 'fake_job_compound' } },
    primary: 'ae-moi',
    copies: [],
    urgent: false,
  },
  {
    name: 'a Filipino worker in Qatar cheated by a loan app',
    report: { victim: person('PH', 'QA', 'QA'), incident: { category: 'loan_shopping' } },
    primary: 'qa-moi',
    copies: ['ph-pnp', 'ph-dfa-oumwa'],
    urgent: false,
  },
  {
    name: 'voice phishing in China',
    report: { victim: person('CN', 'CN', 'CN'), incident: { category: 'voice_phishing' } },
    primary: 'cn-mps',
    copies: [],
    urgent: false,
  },
  {
    name: 'a romance scam in Japan',
    report: { victim: person('JP', 'JP', 'JP'), incident: { category: 'romance' } },
    primary: 'jp-npa',
    copies: [],
    urgent: false,
  },
  {
    name: 'an investment scam in Viet Nam paid into Vietcombank',
    report: {
      victim: person('VN', 'VN', 'VN'),
      incident: { category: 'investment_crypto' },
      losses: { payments: [{ amount: 20000000, currency: 'VND', toAccount: 'Vietcombank 0123456789' }] },
    },
    primary: 'vn-mps',
    copies: [],
    urgent: false,
  },
  {
    name: 'sextortion in Indonesia',
    report: { victim: person('ID', 'ID', 'ID'), incident: { category: 'sextortion' } },
    primary: 'id-polri',
    copies: [],
    urgent: false,
  },
  {
    name: 'money-mule recruitment in Malaysia',
    report: { victim: person('MY', 'MY', 'MY'), incident: { category: 'money_mule' } },
    primary: 'my-rmp',
    copies: ['my-nsrc'],
    urgent: false,
  },
  {
    name: 'a loan scam in Brunei',
    report: { victim: person('BN', 'BN', 'BN'), incident: { category: 'loan_shopping' } },
    primary: 'bn-rbpf',
    copies: [],
    urgent: false,
  },
  {
    name: 'an online scam in the Philippines',
    report: { victim: person('PH', 'PH', 'PH'), incident: { category: 'other' } },
    primary: 'ph-pnp',
    copies: ['ph-cicc'],
    urgent: false,
  },
  {
    name: 'a romance scam in Laos',
    report: { victim: person('LA', 'LA', 'LA'), incident: { category: 'romance' } },
    primary: 'la-police',
    copies: [],
    urgent: false,
  },
  {
    name: 'a scam reported in Myanmar',
    report: { victim: person('MM', 'MM', 'MM'), incident: { category: 'other' } },
    primary: 'mm-police',
    copies: [],
    urgent: false,
  },
  {
    name: 'a shopping scam in Cambodia',
    report: { victim: person('KH', 'KH', 'KH'), incident: { category: 'loan_shopping' } },
    primary: 'kh-cnp',
    copies: [],
    urgent: false,
  },
  {
    name: 'a Korean family reporting a son held in Myanmar',
    report: {
      reporterRole: 'family_or_friend',
      victim: person('KR', 'KR', 'MM'),
      safety: held,
      incident: { category: 'fake_job_compound' },
    },
    primary: 'mm-police',
    copies: ['kr-knpa', 'kr-mofa-consular', 'interpol'],
    urgent: true,
  },
  {
    name: 'a Korean tourist threatened in Thailand after voice phishing',
    report: {
      victim: person('KR', 'KR', 'TH'),
      safety: { inImmediateDanger: true },
      incident: { category: 'voice_phishing' },
    },
    primary: 'th-rtp',
    copies: ['kr-knpa', 'kr-mofa-consular', 'th-oscc', 'kr-fss', 'th-aoc', 'interpol'],
    urgent: true,
  },
  {
    name: 'an American held in Cambodia',
    report: { victim: person('US', 'US', 'KH'), safety: held },
    primary: 'kh-cnp',
    copies: ['us-fbi-ic3', 'us-state-ocs', 'interpol'],
    urgent: true,
  },
  {
    name: 'a Korean in danger in Dubai',
    report: { victim: person('KR', 'KR', 'AE'), safety: { inImmediateDanger: true } },
    primary: 'ae-moi',
    copies: ['kr-knpa', 'kr-mofa-consular'],
    urgent: true,
  },
  {
    name: 'only the nationality known',
    report: { victim: person('KR', undefined, undefined) },
    primary: 'kr-knpa',
    copies: [],
    urgent: false,
  },
  {
    name: 'only where the scammers are known',
    report: { suspects: { compound: { country: 'MM' } } },
    primary: 'mm-police',
    copies: [],
    urgent: false,
  },
  {
    name: 'nothing known about places',
    report: { incident: { category: 'romance' } },
    primary: undefined,
    copies: [],
    urgent: false,
  },
  {
    name: 'a Thai held in Cambodia who did not agree to share',
    report: { consent: { shareWithLawEnforcement: false }, victim: person('TH', 'TH', 'KH'), safety: held },
    primary: 'kh-cnp',
    copies: ['th-rtp', 'th-mfa-consular', 'aseanapol'],
    urgent: true,
  },
];

describe('routing rules', () => {
  it('have a scenario for every country in the directory, at least 30 in all', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    const countries = new Set(
      [...directory.agencies.values()].filter((agency) => agency.country !== 'INT').map((agency) => agency.country),
    );
    const primaries = new Set(
      scenarios.map((scenario) => (scenario.primary ? directory.agencies.get(scenario.primary)?.country : undefined)),
    );
    expect([...countries].filter((country) => !primaries.has(country))).toEqual([]);
    expect(countries.size).toBe(16);
  });

  it.each(scenarios)('$name', (scenario) => {
    const report = parseReportInput({ consent: { shareWithLawEnforcement: true }, ...scenario.report });
    const decision = routeReport(report, directory);
    expect(decision.primary?.agencyId).toBe(scenario.primary);
    expect(decision.copies.map((copy) => copy.agencyId)).toEqual(scenario.copies);
    expect(decision.urgent).toBe(scenario.urgent);
    expect(decision.withheld).toBe(!report.consent.shareWithLawEnforcement);
    const routedAgencies = [decision.primary, ...decision.copies].filter((entry) => entry !== undefined);
    for (const routed of routedAgencies) {
      expect(routed.reason.key).toMatch(/^reasons\./);
    }
    // Each reader gets a line per agency with the reason from its own section, then the notices.
    const reasonSection = { reporter: 'reasons', staff: 'caseReasons', agency: 'caseReasons' } as const;
    for (const reader of routingReaders) {
      const lines = describeRouting(decision, { reader, language: 'en' }, keys);
      const notices = (routedAgencies.length === 0 ? 1 : 0) + (decision.withheld ? 1 : 0) + (decision.urgent ? 1 : 0);
      expect(lines).toHaveLength(routedAgencies.length + notices);
      routedAgencies.forEach((routed, index) => {
        const name = routed.reason.key.slice('reasons.'.length);
        expect(lines[index]).toContain(`reason=${reasonSection[reader]}.${name}`);
        expect(i18n.exists(`routing:${reasonSection[reader]}.${name}`), name).toBe(true);
      });
    }
  });
});
