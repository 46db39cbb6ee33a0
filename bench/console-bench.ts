import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../app/config.js';
import { casePartsOf, createPortal } from '../app/create-portal.js';
import { consoleActor } from '../intake/cases/case-actor.js';
import { silentLogger } from '../app/logger.js';
import { openServices, type Services } from '../app/open-services.js';
import { inQueue } from '../intake/cases/case-queue.js';
import { conversationCountries } from '../intake/conversation/choice-options.js';
import { languageCodes } from '../intake/i18n/languages.js';
import { channels, incidentCategories } from '../intake/report/report-schema.js';
import { auditEventRow } from '../intake/store/audit-log.js';
import { newTimeOrderedId } from '../intake/store/time-ordered-id.js';
import { completeReport } from '../test/support/fixtures.js';
import type { BenchLine } from './bench-line.js';

const samples = 200;
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;
/** The mix of a working hotline: most cases open, some urgent, a fifth closed. */
const statusMix = [
  'new',
  'new',
  'new',
  'new',
  'triaging',
  'triaging',
  'referred',
  'with_agency',
  'with_agency',
  'closed',
  'closed',
  'duplicate',
] as const;
const agencies = ['kh-cnp', 'th-rtp', 'kr-knpa', 'la-police', 'vn-mps', 'ph-pnp', 'interpol'];

/**
 * Fills the store up to `total` reports as a hotline's would look: spread
 * over two years, a mix of statuses, channels, languages, kinds and
 * countries, each with its routing, three indicators and its audit event.
 * Report content is filler: the queue never decrypts, and the case page
 * measured is a real report's.
 */
async function fill(services: Services, total: number, from: number): Promise<void> {
  const { db } = services;
  const start = Date.now() - 2 * 365 * 24 * 60 * 60_000;
  const chunk = 1_000;
  for (let done = from; done < total; done += chunk) {
    const count = Math.min(chunk, total - done);
    const reports = Array.from({ length: count }, (_, index) => {
      const at = new Date(start + ((done + index) / total) * (Date.now() - start - 60_000)).toISOString();
      const status = pick(statusMix);
      return {
        id: newTimeOrderedId(Date.parse(at)),
        reference: `RL-${randomBytes(5).toString('hex').toUpperCase()}`,
        receipt_hash: 'filler',
        channel: pick(channels),
        language: pick(languageCodes),
        reporter_role: null,
        status,
        in_queue: inQueue(status),
        category: pick(incidentCategories),
        urgent: randomInt(10) === 0 ? 1 : 0,
        consent_share: 1,
        consent_contact: 0,
        current_country: pick(conversationCountries),
        nationality: pick(conversationCountries),
        residence_country: null,
        content_enc: 'filler',
        indicators_enc: 'filler',
        created_at: at,
        updated_at: at,
      };
    });
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('reports').values(reports).execute();
      await trx
        .insertInto('report_routing')
        .values(
          reports.map((report) => ({
            report_id: report.id,
            decision_enc: 'filler',
            withheld: 0,
            planned_at: report.created_at,
            planned_by: 'rules',
          })),
        )
        .execute();
      await trx
        .insertInto('report_agencies')
        .values(
          reports.map((report) => ({
            report_id: report.id,
            agency_id: pick(agencies),
            role: 'primary',
            created_at: report.created_at,
          })),
        )
        .execute();
      const indicators = reports.flatMap((report) =>
        Array.from({ length: 3 }, () => ({
          report_id: report.id,
          kind: 'phone',
          value_hash: randomBytes(32).toString('base64url'),
          validity: 'valid',
          created_at: report.created_at,
        })),
      );
      for (let offset = 0; offset < indicators.length; offset += 2_000)
        await trx
          .insertInto('report_indicators')
          .values(indicators.slice(offset, offset + 2_000))
          .execute();
      await trx
        .insertInto('audit_events')
        .values(
          reports.map((report) =>
            auditEventRow({
              actor: 'channel:web',
              action: 'report.created',
              reportId: report.id,
              at: new Date(report.created_at),
            }),
          ),
        )
        .execute();
    });
  }
}

async function medianMs(request: () => Response | Promise<Response>): Promise<number> {
  for (let i = 0; i < 20; i += 1) await (await request()).text();
  const timings: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    const response = await request();
    const body = await response.text();
    timings.push(performance.now() - started);
    if (response.status !== 200 || body.length < 1000) throw new Error(`the console answered ${response.status}`);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)]!;
}

/**
 * The staff console with 1,000 and with 100,000 reports stored: the median
 * time to serve the queue and a whole case page (decrypted report, links,
 * routing, deliveries, messages, notes, history), over HTTP through the real
 * portal, as a signed-in hotline worker.
 */
export async function benchConsole(): Promise<BenchLine[]> {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-bench-console-'));
  const services = await openServices(
    loadConfig({ REPORTLINE_DATA_DIR: folder, REPORTLINE_DATA_KEY: randomBytes(32).toString('hex') }),
    silentLogger,
  );
  try {
    const app = createPortal(services, silentLogger);
    const user = await services.accounts.createUser({
      username: 'bench',
      password: 'bench-password-0123',
      role: 'hotline',
    });
    const cookie = `rl_staff=${await services.accounts.startSession(user.id)}`;
    // The case measured: a complete report, linked to two others, with a note and a message.
    const { reportId, reference } = await services.reports.submitReport(
      { ...completeReport(), evidence: [] },
      { actor: 'bench' },
    );
    for (let i = 0; i < 2; i += 1)
      await services.reports.submitReport(
        { consent: { shareWithLawEnforcement: true }, suspects: { phones: ['+855 12 345 678'] } },
        { actor: 'bench' },
      );
    await casePartsOf(services).useCases.addNote(
      consoleActor(user),
      reference,
      'Called the family; they will send the bank slip.',
    );
    await services.followups.postMessageToReporter(reportId, {
      body: 'We received your report.',
      author: `user:${user.id}`,
    });
    const queue = () => app.request('/staff', { headers: { cookie } });
    const casePage = () => app.request(`/staff/cases/${reference}`, { headers: { cookie } });

    await fill(services, 1_000, 0);
    const queueSmall = await medianMs(queue);
    const caseSmall = await medianMs(casePage);
    await fill(services, 100_000, 1_000);
    const queueLarge = await medianMs(queue);
    const caseLarge = await medianMs(casePage);
    return [
      { name: 'queue page, 1,000 reports (median)', value: queueSmall, unit: 'ms', aim: 'for the ratio', met: true },
      { name: 'queue page, 100,000 reports (median)', value: queueLarge, unit: 'ms', aim: 'for the ratio', met: true },
      {
        name: 'queue at 100,000 / at 1,000',
        value: queueLarge / queueSmall,
        unit: 'ratio',
        aim: '< 2',
        met: queueLarge / queueSmall < 2,
      },
      { name: 'case page, 1,000 reports (median)', value: caseSmall, unit: 'ms', aim: 'for the ratio', met: true },
      { name: 'case page, 100,000 reports (median)', value: caseLarge, unit: 'ms', aim: 'for the ratio', met: true },
      {
        name: 'case page at 100,000 / at 1,000',
        value: caseLarge / caseSmall,
        unit: 'ratio',
        aim: '< 2',
        met: caseLarge / caseSmall < 2,
      },
    ];
  } finally {
    await services.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
