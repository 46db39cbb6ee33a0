import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { assembleIntake } from '../../app/assemble-intake.js';
import { type FieldCipher } from '../../intake/crypto/field-cipher.js';
import { createAgencyDeliverySender } from '../../intake/delivery/agency-delivery-sender.js';
import { DeliveryDispatcher } from '../../intake/delivery/delivery-dispatcher.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { directoryDeliveryTargets } from '../../intake/routing/directory-delivery-targets.js';
import { loadAgencyDirectory, type AgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { openDatabase, type DatabaseLocation } from '../../intake/store/open-database.js';
import type { StaffGroupAlerts } from '../../intake/urgent/staff-group-alerts.js';
import { urgentClockPolicy, type UrgentClockPolicy } from '../../intake/urgent/urgent-clock-policy.js';
import { UrgentClockWorker } from '../../intake/urgent/urgent-clock-worker.js';
import { startSmtpReceiver, startWebhookReceiver } from '../support/case-receivers.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

export const khSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const aseanapolSecret = 'whsec_2Yyc1qLGdq3hM9cBRHr3fYz3BQA4a2b22GaEHkqXfB0=';
export const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

/**
 * A deployment's directory for the clock tests: Cambodia's police take cases
 * by webhook and e-mail and have 30 minutes to accept an urgent one;
 * Aseanapol, the first agency an unaccepted case is offered to, by webhook.
 */
export function clockTestDirectory(urls: { kh: string; aseanapol: string }): AgencyDirectory {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-urgent-'));
  const file = join(folder, 'deployment.json');
  writeFileSync(
    file,
    JSON.stringify({
      agencies: [
        {
          id: 'kh-cnp',
          urgentAcceptMinutes: 30,
          delivery: {
            webhook: { url: urls.kh, secretEnv: 'TEST_KH_SECRET' },
            email: { to: ['duty@police.example.kh'] },
            language: 'en',
          },
        },
        { id: 'aseanapol', delivery: { webhook: { url: urls.aseanapol, secretEnv: 'TEST_ASEANAPOL_SECRET' } } },
      ],
    }),
  );
  return loadAgencyDirectory({ deploymentFile: file });
}

export const clockTestPolicy: UrgentClockPolicy = urgentClockPolicy({
  hotlineAckMinutes: 15,
  defaultAgencyAcceptMinutes: 30,
  agencyAcceptMinutes: new Map([['kh-cnp', 30]]),
  escalationAgencies: ['aseanapol', 'interpol'],
});

/**
 * One "process" of the clock tests over a database: its own connection, the
 * intake, the delivery dispatcher and the clock worker, all on the test's
 * clock. Closing it and opening another over the same database is a restart.
 */
export function openClockProcess(options: {
  location: DatabaseLocation;
  cipher: FieldCipher;
  directory: AgencyDirectory;
  now: () => Date;
  smtpUrl: string;
  alerts?: StaffGroupAlerts;
}) {
  const db = openDatabase(options.location);
  const intake = assembleIntake({
    db,
    cipher: options.cipher,
    router: createCaseRouter(options.directory),
    now: options.now,
    urgentClock: clockTestPolicy,
  });
  const transport = nodemailer.createTransport(options.smtpUrl);
  const dispatcher = new DeliveryDispatcher({
    db,
    now: options.now,
    send: createAgencyDeliverySender({
      sources: intake,
      targets: directoryDeliveryTargets(options.directory, {
        TEST_KH_SECRET: khSecret,
        TEST_ASEANAPOL_SECRET: aseanapolSecret,
      }),
      i18n,
      mail: { transport, from: 'Reportline <cases@reportline.example>' },
      publicBaseUrl: 'https://report.example.org',
    }),
    baseDelayMs: 10,
    maxDelayMs: 40,
  });
  const worker = new UrgentClockWorker({
    db,
    cipher: options.cipher,
    directory: options.directory,
    policy: clockTestPolicy,
    now: options.now,
    ...(options.alerts ? { alerts: options.alerts } : {}),
  });
  /** Sends every delivery due now; fails if one is still pending (a send failed). */
  async function drain(): Promise<void> {
    await dispatcher.runOnce();
    const pending = await db
      .selectFrom('deliveries')
      .select(['agency_id', 'last_error'])
      .where('status', '!=', 'delivered')
      .execute();
    if (pending.length > 0) throw new Error(`undelivered: ${JSON.stringify(pending)}`);
  }
  return {
    db,
    intake,
    dispatcher,
    worker,
    drain,
    close: async () => {
      await worker.stop();
      await dispatcher.stop();
      transport.close();
      await db.destroy();
    },
  };
}

const minute = 60_000;

/**
 * What every clock test stands on, registered as the caller's hooks: the two agencies' webhook receivers and an SMTP
 * receiver for the file, and for each test a fresh database, empty receivers and the test's clock at 10:00 UTC on
 * 1 December 2026. The clock is the process's Date (only Date is faked): the webhooks' signatures and the receivers'
 * checks go by it too. The caller's own afterEach (closing the processes it opened) runs before this one's, which
 * disposes the database (vitest runs after-hooks last-registered first).
 */
export function useClockTestBed(kind: 'sqlite' | 'postgres') {
  const cipher = testCipher();
  const now = () => new Date();
  const start = Date.parse('2026-12-01T10:00:00.000Z');
  let receivers:
    | {
        kh: Awaited<ReturnType<typeof startWebhookReceiver>>;
        aseanapol: Awaited<ReturnType<typeof startWebhookReceiver>>;
        smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
      }
    | undefined;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    const [kh, aseanapol, smtp] = await Promise.all([
      startWebhookReceiver(khSecret),
      startWebhookReceiver(aseanapolSecret),
      startSmtpReceiver(),
    ]);
    receivers = { kh, aseanapol, smtp };
  });
  afterAll(async () => {
    if (receivers) await Promise.all([receivers.kh.close(), receivers.aseanapol.close(), receivers.smtp.close()]);
  });
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    bed.kh.accepted.length = 0;
    bed.aseanapol.accepted.length = 0;
    bed.smtp.messages.length = 0;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await database?.dispose();
  });

  const bed = {
    cipher,
    now,
    start,
    /** Moves the test's clock to `minutes` after the start. */
    at: (minutes: number) => vi.setSystemTime(start + minutes * minute),
    get database(): TestDatabase {
      if (!database) throw new Error('the clock test bed has no database outside a test');
      return database;
    },
    get kh() {
      if (!receivers) throw new Error('the clock test bed has no receivers outside its describe block');
      return receivers.kh;
    },
    get aseanapol() {
      if (!receivers) throw new Error('the clock test bed has no receivers outside its describe block');
      return receivers.aseanapol;
    },
    get smtp() {
      if (!receivers) throw new Error('the clock test bed has no receivers outside its describe block');
      return receivers.smtp;
    },
    /** A process over this test's database (open another over it to restart). */
    openProcess: (extra: { alerts?: StaffGroupAlerts } = {}) =>
      openClockProcess({
        location: bed.database.location,
        cipher,
        directory: clockTestDirectory({ kh: bed.kh.url, aseanapol: bed.aseanapol.url }),
        now,
        smtpUrl: bed.smtp.url,
        ...extra,
      }),
  };
  return bed;
}
