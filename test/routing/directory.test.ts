import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { directoryDeliveryTargets } from '../../intake/routing/directory-delivery-targets.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { describeRouting } from '../../intake/routing/describe-routing.js';
import { DirectoryError, loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';
import { routingRules } from '../../intake/routing/routing-rules.js';
import { languageCodes } from '../../intake/i18n/languages.js';
import { keyWording } from './key-wording.js';

const folder = mkdtempSync(join(tmpdir(), 'reportline-directory-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

function deploymentFile(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const heldInSihanoukville = parseReportInput({
  consent: { shareWithLawEnforcement: true },
  victim: { nationality: 'KR', residenceCountry: 'KR', currentCountry: 'KH' },
  safety: { heldAgainstWill: true },
  incident: { category: 'fake_job_compound' },
  suspects: { compound: { name: 'Golden Sun', place: 'Sihanoukville', country: 'KH' } },
});

describe('the shipped agency directory', () => {
  const directory = loadAgencyDirectory();

  it('names a source for every contact, and uses only labels that are translated', () => {
    for (const agency of directory.agencies.values()) {
      for (const contact of agency.contacts) {
        expect(contact.source, `${agency.id}`).toMatch(/^https?:\/\//);
        expect(contact.phone ?? contact.url, `${agency.id}`).toBeDefined();
        expect(i18n.exists(`routing:${contact.labelKey}`), contact.labelKey).toBe(true);
      }
    }
  });

  it('lists the emergency numbers of the country a person is in, emergency first, with their consular line', () => {
    const t = i18n.getFixedT('en', 'routing');
    const contacts = emergencyContactsFor(directory, 'KH', t, 'en', 'KR');
    expect(contacts[0]).toMatchObject({ agencyId: 'kh-cnp', phone: '117', label: 'Police emergency' });
    expect(contacts.at(-1)).toMatchObject({ agencyId: 'kr-mofa-consular', phone: '+82-2-3210-0404' });
    expect(emergencyContactsFor(directory, 'TH', t, 'en').map((contact) => contact.phone)).toEqual(
      expect.arrayContaining(['191', '1441', '1300']),
    );
  });
});

describe('describing a routing decision to each of its readers', () => {
  const directory = loadAgencyDirectory();
  const decision = routeReport(heldInSihanoukville, directory);
  const keys = keyWording(directory);
  const withheldNowhere = { urgent: false, withheld: true, copies: [] };

  it('tells the reporter in the second person why each agency has the report', () => {
    expect(describeRouting(decision, { reader: 'reporter', language: 'en' }, keys)).toEqual([
      'explain.primary(agency=Cambodian National Police; reason=reasons.primaryHeldWherePlace(country=Cambodia; place=Sihanoukville))',
      'explain.copy(agency=Korean National Police Agency; reason=reasons.copyNational(country=South Korea))',
      'explain.copy(agency=Ministry of Foreign Affairs Consular Call Center; reason=reasons.copyConsular(country=South Korea))',
      'explain.copy(agency=INTERPOL; reason=reasons.copyInterpol)',
      'explain.urgent',
    ]);
  });

  it.each(['staff', 'agency'] as const)('tells %s the same facts in the third person', (reader) => {
    expect(describeRouting(decision, { reader, language: 'en' }, keys)).toEqual([
      'caseLines.primary(agency=Cambodian National Police; reason=caseReasons.primaryHeldWherePlace(country=Cambodia; place=Sihanoukville))',
      'caseLines.copy(agency=Korean National Police Agency; reason=caseReasons.copyNational(country=South Korea))',
      'caseLines.copy(agency=Ministry of Foreign Affairs Consular Call Center; reason=caseReasons.copyConsular(country=South Korea))',
      'caseLines.copy(agency=INTERPOL; reason=caseReasons.copyInterpol)',
      'caseLines.urgent',
    ]);
  });

  it('tells each reader in its own words that nothing is sent and that no agency was named', () => {
    const lines = (reader: 'reporter' | 'staff' | 'agency') =>
      describeRouting(withheldNowhere, { reader, language: 'en' }, keys);
    expect(lines('reporter')).toEqual(['explain.noAgency', 'explain.withheld']);
    expect(lines('staff')).toEqual(['caseLines.staff.noAgency', 'caseLines.staff.withheld']);
    expect(lines('agency')).toEqual(['caseLines.agency.noAgency', 'caseLines.agency.withheld']);
  });

  it("gives a deployment rule's own words to the reporter, and to staff as that rule quoted", () => {
    const reason = { key: 'reasons.deploymentRule', params: {}, text: { en: 'they shelter returnees', ko: '보호소' } };
    const ruled = { urgent: false, withheld: false, copies: [{ agencyId: 'kr-knpa', role: 'copy' as const, reason }] };
    expect(describeRouting(ruled, { reader: 'reporter', language: 'ko' }, keys)).toEqual([
      'explain.copy(agency=경찰청; reason=보호소)',
    ]);
    expect(describeRouting(ruled, { reader: 'staff', language: 'th' }, keys)).toEqual([
      'caseLines.copy(agency=Korean National Police Agency; reason=caseReasons.deploymentRule(rule=they shelter returnees))',
    ]);
  });

  it("names agencies and countries in the reader's language, in Korean and in Thai", () => {
    const korean = describeRouting(decision, { reader: 'reporter', language: 'ko' }, keys);
    expect(korean[1]).toContain('경찰청');
    expect(korean[1]).toContain('대한민국');
    expect(korean[0]).toContain('캄보디아');
    expect(describeRouting(decision, { reader: 'agency', language: 'th' }, keys)[0]).toContain('กัมพูชา');
  });

  it('has a third-person sentence for every reason the reporter reads, and a reason for every rule', () => {
    const english = i18n.getResourceBundle('en', 'routing') as Record<string, Record<string, string>>;
    expect(Object.keys(english.caseReasons!).sort()).toEqual(Object.keys(english.reasons!).sort());
    for (const rule of routingRules) {
      for (const key of [rule.reasonKey, rule.reasonKeyWhenHeld].filter((key) => key !== undefined)) {
        expect(i18n.exists(`routing:${key}`), key).toBe(true);
      }
    }
  });

  it.each(languageCodes)(
    'reads as whole sentences in %s for every reader, and differently for the reporter',
    (language) => {
      const wording = { directory, i18n };
      const reporter = describeRouting(decision, { reader: 'reporter', language }, wording);
      for (const reader of ['staff', 'agency'] as const) {
        const lines = describeRouting(decision, { reader, language }, wording);
        expect(lines).toHaveLength(reporter.length);
        expect(lines.join(' ')).not.toMatch(/\{\{|caseReasons\.|caseLines\./);
        lines.forEach((line, index) => expect(line).not.toBe(reporter[index]));
      }
      expect(reporter.join(' ')).not.toMatch(/\{\{|reasons\.|explain\./);
    },
  );
});

describe("a deployment's own directory file", () => {
  it('adds delivery endpoints and agencies, changes fields, and adds rules', () => {
    const file = deploymentFile('good.json', {
      agencies: [
        {
          id: 'kh-cnp',
          delivery: { webhook: { url: 'https://cnp.example.gov.kh/reportline', secretEnv: 'KH_CNP_SECRET' } },
        },
        { id: 'kr-knpa', delivery: { email: { to: ['cyber@police.example.kr'] }, language: 'ko' } },
        {
          id: 'ngo-shelter',
          country: 'KR',
          name: { en: 'A partner shelter for returnees' },
          roles: ['trafficking'],
          handles: ['trafficking'],
          scope: 'national',
          contacts: [],
        },
      ],
      rules: [
        {
          when: { compoundCountry: 'KH', urgent: true },
          copy: 'ngo-shelter',
          reason: { en: 'they help people who come back from the compounds', ko: '보호소를 운영합니다' },
        },
      ],
    });
    const directory = loadAgencyDirectory({ deploymentFile: file });
    expect(directory.agencies.get('kh-cnp')?.contacts[0]?.phone).toBe('117');
    const plan = createCaseRouter(directory)(heldInSihanoukville);
    expect(plan.agencies.map((agency) => agency.agencyId)).toEqual([
      'kh-cnp',
      'kr-knpa',
      'kr-mofa-consular',
      'interpol',
      'ngo-shelter',
    ]);
    expect(plan.deliveries).toEqual([
      { agencyId: 'kh-cnp', method: 'webhook' },
      { agencyId: 'kr-knpa', method: 'email' },
    ]);
    const lines = describeRouting(plan.decision, { reader: 'reporter', language: 'ko' }, { directory, i18n });
    expect(lines.some((line) => line.includes('보호소를 운영합니다'))).toBe(true);

    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const targets = directoryDeliveryTargets(directory, { KH_CNP_SECRET: secret });
    expect(targets.webhook('kh-cnp')).toEqual({ url: 'https://cnp.example.gov.kh/reportline', secret });
    // A secret not in the Standard Webhooks form stops start-up, naming the variable only.
    expect(() => directoryDeliveryTargets(directory, { KH_CNP_SECRET: 's3cret' })).toThrow(/KH_CNP_SECRET/);
    expect(targets.email('kr-knpa')).toEqual({ to: ['cyber@police.example.kr'] });
    expect(targets.language('kr-knpa')).toBe('ko');
    expect(() => directoryDeliveryTargets(directory, {})).toThrow(
      /agencies\[kh-cnp\]\.delivery\.webhook\.secretEnv: the environment variable KH_CNP_SECRET is not set/,
    );
  });

  it('plans no delivery for a report without consent', () => {
    const file = deploymentFile('webhook.json', {
      agencies: [{ id: 'kh-cnp', delivery: { webhook: { url: 'https://cnp.example.gov.kh/r', secretEnv: 'S' } } }],
    });
    const plan = createCaseRouter(loadAgencyDirectory({ deploymentFile: file }))({
      ...heldInSihanoukville,
      consent: { shareWithLawEnforcement: false, contactBack: false },
    });
    expect(plan.withheld).toBe(true);
    expect(plan.agencies.length).toBeGreaterThan(0);
    expect(plan.deliveries).toEqual([]);
  });

  it.each([
    [
      'a bad webhook URL',
      { agencies: [{ id: 'kr-knpa', delivery: { webhook: { url: 'not a url', secretEnv: 'X' } } }] },
      /bad-1\.json: agencies\[kr-knpa\]\.delivery\.webhook\.url: /,
    ],
    [
      'a secret written into the file',
      {
        agencies: [
          { id: 'kr-knpa', delivery: { webhook: { url: 'https://x.example/', secret: 'abc', secretEnv: 'X' } } },
        ],
      },
      /bad-2\.json: agencies\[kr-knpa\]\.delivery\.webhook: Unrecognized key: "secret"/,
    ],
    [
      'a new agency missing its fields',
      { agencies: [{ id: 'new-agency', name: { en: 'New' } }] },
      /bad-3\.json: agencies\[new-agency\]\.country: new agency: /,
    ],
    [
      'a rule copying an unknown agency',
      { rules: [{ when: {}, copy: 'nobody', reason: { en: 'x' } }] },
      /bad-4\.json: rules\[0\]\.copy: no agency has the id "nobody"/,
    ],
    [
      'a rule without an English reason',
      { rules: [{ when: {}, copy: 'kr-knpa', reason: { ko: '이유' } }] },
      /bad-5\.json: rules\[0\]\.reason: Needs at least an English reason/,
    ],
  ])('refuses %s, naming the file, the entry and the field', (_name, content, message) => {
    const index =
      [
        'a bad webhook URL',
        'a secret written into the file',
        'a new agency missing its fields',
        'a rule copying an unknown agency',
        'a rule without an English reason',
      ].indexOf(_name) + 1;
    const file = deploymentFile(`bad-${index}.json`, content);
    expect(() => loadAgencyDirectory({ deploymentFile: file })).toThrow(DirectoryError);
    expect(() => loadAgencyDirectory({ deploymentFile: file })).toThrow(message);
  });

  it('refuses a file that is not JSON or cannot be read', () => {
    expect(() => loadAgencyDirectory({ deploymentFile: deploymentFile('broken.json', '{ "agencies": [') })).toThrow(
      /broken\.json: is not valid JSON/,
    );
    expect(() => loadAgencyDirectory({ deploymentFile: join(folder, 'missing.json') })).toThrow(
      /missing\.json: cannot be read \(ENOENT\)/,
    );
  });
});
