import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDocument } from '../../intake/delivery/case-document.js';
import { casesCsvHashtags, casesToCsv } from '../../intake/delivery/exports/cases-csv.js';
import type { CaseRouter } from '../../intake/routing/routing-plan.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { completeReport } from '../support/fixtures.js';
import { fixedDecision } from '../support/fixed-decision.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

/** The shape of an HXL hashtag with its attributes (hxlstandard.org), lower case as HXL writes them. */
const hxlHashtag = /^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/;

/** RFC 4180 rows, as a spreadsheet reads them: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        value += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else value += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(value);
      value = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
      i += 1;
    } else value += char;
  }
  expect(quoted).toBe(false);
  expect(value).toBe('');
  return rows;
}

function caseOf(input: ReportInput, reference = 'RL-TEST-0001'): CaseDocument {
  return {
    reference,
    createdAt: '2025-09-12T08:30:00.000Z',
    updatedAt: '2025-09-12T08:30:00.000Z',
    status: 'new',
    urgent: true,
    category: input.incident?.category ?? null,
    role: 'primary',
    routing: { urgent: true, withheld: false, copies: [] },
    report: parseReportInput(input),
    indicators: [],
    linkedReports: [],
    linkedElsewhere: 0,
    amendments: [],
  };
}

const withNarrative = (narrative: string): ReportInput => ({
  ...completeReport(),
  incident: { ...completeReport().incident, narrative },
});

describe('the cases CSV', () => {
  it('starts with a UTF-8 byte-order mark, so Excel shows Thai and Khmer', () => {
    const thai = 'ได้รับข้อเสนองานในกัมพูชา ถูกยึดหนังสือเดินทาง';
    const khmer = 'គាត់ត្រូវបានគេឃុំខ្លួននៅក្រុងព្រះសីហនុ';
    const csv = casesToCsv([caseOf(withNarrative(thai), 'RL-THAI'), caseOf(withNarrative(khmer), 'RL-KHMER')]);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.startsWith('\uFEFFreference,created_at,status,urgent,category,')).toBe(true);
    // Exactly one mark, and the text after it is intact UTF-8.
    expect(bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf]), 3)).toBe(-1);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows.map((row) => row.at(-1))).toEqual(['narrative', thai, khmer]);
    // An empty export is still a spreadsheet with its header.
    expect(casesToCsv([])).toBe(`\uFEFF${parseCsv(csv.slice(1))[0]!.join(',')}\r\n`);
  });

  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const dangerous = [
      '=HYPERLINK("http://evil.example","click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1+1',
      '\r=1+1',
      '＝1+1',
      '＋1',
      '－1',
      '＠SUM(A1)',
    ];
    // Set after validation, which trims the narrative: the CSV does not rely on that.
    const csv = casesToCsv(
      dangerous.map((narrative, i) => {
        const item = caseOf(completeReport(), `RL-${i}`);
        item.report.incident.narrative = narrative;
        return item;
      }),
    );
    const narratives = parseCsv(csv.slice(1))
      .slice(1)
      .map((row) => row.at(-1));
    expect(narratives).toEqual(dangerous.map((text) => `'${text}`));
    // No cell of the file starts with a formula character.
    for (const row of parseCsv(csv.slice(1))) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
    // Harmless text keeps its characters, and a formula character later in a cell is left alone.
    const plain = parseCsv(casesToCsv([caseOf(withNarrative('a=b, "quoted" + more'))]).slice(1));
    expect(plain[1]!.at(-1)).toBe('a=b, "quoted" + more');
  });

  it('adds no HXL row unless asked, and with hxl one valid HXL hashtag per column as the second line', () => {
    const cases = [caseOf(completeReport())];
    const plain = parseCsv(casesToCsv(cases).slice(1));
    expect(plain).toHaveLength(2);
    expect(plain[1]![0]).toBe('RL-TEST-0001');

    const rows = parseCsv(casesToCsv(cases, { hxl: true }).slice(1));
    expect(rows).toHaveLength(3);
    const [header, hashtags, data] = rows as [string[], string[], string[]];
    expect(hashtags).toHaveLength(header.length);
    expect(data).toHaveLength(header.length);
    for (const hashtag of hashtags) expect(hashtag).toMatch(hxlHashtag);
    expect(hashtags).toEqual([...casesCsvHashtags]);
    expect(new Set(hashtags).size).toBe(hashtags.length);
    const tagOf = Object.fromEntries(header.map((name, i) => [name, hashtags[i]]));
    expect(tagOf).toMatchObject({
      reference: '#event+id',
      created_at: '#date+reported',
      status: '#status',
      current_country: '#country+code+v_iso2+current',
      loss_amount: '#value+loss',
      loss_currency: '#currency+code',
      narrative: '#description+narrative',
    });
  });

  it('gives the total lost and its currency only when every payment is in one currency', () => {
    const payments = (list: Array<[number, string]>): ReportInput => ({
      ...completeReport(),
      losses: { payments: list.map(([amount, currency]) => ({ amount, currency })) },
    });
    const csv = casesToCsv([
      caseOf(
        payments([
          [0.1, 'usd'],
          [0.2, 'USD'],
        ]),
        'RL-ONE',
      ),
      caseOf(
        payments([
          [3_000_000, 'KRW'],
          [1500, 'USDT-TRC20'],
        ]),
        'RL-MIXED',
      ),
      caseOf(payments([]), 'RL-NONE'),
    ]);
    const [header, ...rows] = parseCsv(csv.slice(1)) as [string[], ...string[][]];
    const column = (name: string) => rows.map((row) => row[header.indexOf(name)]);
    expect(column('losses')).toEqual(['0.1 USD; 0.2 USD', '3000000 KRW; 1500 USDT-TRC20', '']);
    expect(column('loss_amount')).toEqual(['0.3', '', '']);
    expect(column('loss_currency')).toEqual(['USD', '', '']);
    expect(column('channel')).toEqual(['api', 'api', 'api']);
  });
});

describe('GET /api/v1/exports/cases?format=csv', () => {
  const router: CaseRouter = (content) => ({
    decision: fixedDecision(
      { primary: 'kh-police', copies: [] },
      { withheld: !content.consent.shareWithLawEnforcement },
    ),
    withheld: !content.consent.shareWithLawEnforcement,
    agencies: [{ agencyId: 'kh-police', role: 'primary' }],
    deliveries: [],
  });
  let portal: TestPortal;
  let reference: string;
  beforeAll(async () => {
    portal = await createTestPortal('sqlite', { router });
    reference = (
      await portal.reports.submitReport(withNarrative('=HYPERLINK("http://evil.example","click") ถูกหลอก'), {
        actor: 'test',
      })
    ).reference;
  });
  afterAll(async () => portal?.dispose());
  const get = (query: string) =>
    portal.app.request(`/api/v1/exports/cases?${query}`, { headers: { authorization: `Bearer ${portal.adminToken}` } });

  it('answers the file with its byte-order mark, and with &hxl=1 the HXL row second', async () => {
    const response = await get('format=csv&hxl=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows[1]).toEqual([...casesCsvHashtags]);
    expect(rows[2]![0]).toBe(reference);
    expect(rows[2]!.at(-1)).toBe(`'=HYPERLINK("http://evil.example","click") ถูกหลอก`);

    const plain = parseCsv(
      Buffer.from(await (await get('format=csv')).arrayBuffer())
        .toString('utf8')
        .slice(1),
    );
    expect(plain.map((row) => row[0])).toEqual(['reference', reference]);
    expect(
      parseCsv(
        Buffer.from(await (await get('format=csv&hxl=0')).arrayBuffer())
          .toString('utf8')
          .slice(1),
      ),
    ).toEqual(plain);
  });

  it('refuses hxl with another format, or a value other than 0 or 1', async () => {
    const json = await get('format=json&hxl=1');
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      error: { code: 'invalid_query', issues: [{ path: 'hxl', message: 'only with format=csv' }] },
    });
    const yes = await get('format=csv&hxl=yes');
    expect(yes.status).toBe(400);
    expect(await yes.json()).toMatchObject({
      error: { code: 'invalid_query', issues: [{ path: 'hxl', message: '0 or 1' }] },
    });
    // The format is still reported first.
    expect(await (await get('format=xlsx&hxl=yes')).json()).toMatchObject({ error: { issues: [{ path: 'format' }] } });
  });
});
