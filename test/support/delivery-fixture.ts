import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { createAgencyDeliverySender, type DeliveryTargets } from '../../intake/delivery/agency-delivery-sender.js';
import { DeliveryDispatcher, type DispatcherOptions } from '../../intake/delivery/delivery-dispatcher.js';
import type { CaseRouter } from '../../intake/routing/routing-plan.js';
import { RoutingStore } from '../../intake/routing/routing-store.js';
import { IndicatorLinks } from '../../intake/store/indicator-links.js';
import { ReportStore } from '../../intake/store/report-store.js';
import type { TestDatabase } from './test-databases.js';
import { fixedDecision } from './fixed-decision.js';

/**
 * A fixed routing for delivery tests: the rules themselves are tested with
 * the agency directory; here only what happens after the decision matters.
 */
export const routeToKoreaAndCambodia: CaseRouter = (content) => ({
  decision: fixedDecision(
    { primary: 'kh-police', copies: ['kr-police'] },
    { withheld: !content.consent.shareWithLawEnforcement },
  ),
  withheld: !content.consent.shareWithLawEnforcement,
  agencies: [
    { agencyId: 'kh-police', role: 'primary' },
    { agencyId: 'kr-police', role: 'copy' },
  ],
  deliveries: [
    { agencyId: 'kh-police', method: 'webhook' },
    { agencyId: 'kr-police', method: 'email' },
  ],
});

export function deliveryFixture(
  database: TestDatabase,
  options: { webhookUrl: string; secret: string; smtpUrl?: string; cipher?: FieldCipher } & Partial<DispatcherOptions>,
) {
  const cipher = options.cipher ?? new FieldCipher(randomBytes(32));
  const reports = new ReportStore({ db: database.db, cipher, router: routeToKoreaAndCambodia });
  const routing = new RoutingStore({ db: database.db, cipher });
  const links = new IndicatorLinks({ db: database.db, cipher });
  const targets: DeliveryTargets = {
    webhook: (agencyId) => (agencyId === 'kh-police' ? { url: options.webhookUrl, secret: options.secret } : undefined),
    email: (agencyId) => (agencyId === 'kr-police' ? { to: ['cyber-desk@police.example'] } : undefined),
    language: () => 'en',
  };
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  const send = createAgencyDeliverySender({
    sources: { reports, links, routing },
    targets,
    i18n: createI18n(loadLocaleResources(defaultLocalesDir)),
    ...(transport ? { mail: { transport, from: 'Reportline <cases@reportline.example>' } } : {}),
    publicBaseUrl: 'https://report.example.org',
  });
  const dispatcher = new DeliveryDispatcher({
    db: database.db,
    send,
    baseDelayMs: 10,
    maxDelayMs: 40,
    concurrency: 4,
    ...options,
  });
  return { cipher, reports, routing, links, dispatcher, close: () => transport?.close() };
}

/** Runs the dispatcher until nothing is left to send (retries included) or the time is up. */
export async function drain(dispatcher: DeliveryDispatcher, database: TestDatabase, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    await dispatcher.runOnce();
    const pending = await database.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${pending.n} deliveries still pending`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
