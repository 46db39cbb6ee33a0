import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { createPortal } from './create-portal.js';
import { consoleLogger } from './logger.js';
import { openServices } from './open-services.js';
import { purgeExpiredRecords } from '../intake/store/retention.js';
import { pollTelegram, type TelegramPolling } from './telegram-polling.js';

/**
 * A sender who trickles a request in a byte at a time holds a connection
 * and its memory: headers must arrive within 20 seconds (or the whole
 * timeout when it is shorter), the whole request within the configured time,
 * and an idle connection is closed.
 */
function slowSenderLimits(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(20_000, requestTimeoutMs),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(30_000, Math.max(500, requestTimeoutMs / 4)),
  };
}

/**
 * The composition root of the running service: reads the configuration once,
 * opens the store (migrating it), and serves the portal.
 */
async function main(): Promise<void> {
  const logger = consoleLogger;
  const config = loadConfig(process.env);
  const services = await openServices(config, logger);
  const app = createPortal(services, logger);
  services.dispatcher.start(config.deliveryPollMs);
  // Answers committed before a crash or a restart are sent now; new ones at once after their turn.
  services.chatWorker.start(config.chatOutboxPollMs);
  services.urgentClocks.start(config.urgent.clockPollMs);
  // Supervisors' alerts and freeze requests queued before a restart are sent now; new ones at once.
  services.mailOutbox?.start(config.deliveryPollMs);
  // Reports and compounds not yet matched (stored before a restart, or while no instance ran) are matched now.
  services.compoundMatcher.start();
  let polling: TelegramPolling | undefined;
  if (services.telegram && config.telegram?.mode === 'polling') {
    // Long polling, for a machine Telegram cannot reach: the bot asks for updates itself, in one instance at a time.
    polling = pollTelegram(services.telegram.bot, config, logger);
  } else if (services.telegram) {
    logger.info('Telegram bot waiting for updates at /webhooks/telegram');
  }
  let telegramRetries: NodeJS.Timeout | undefined;
  if (services.telegram && config.telegram?.mode === 'webhook') {
    const telegram = services.telegram;
    // Webhook updates recorded before a crash (here or in another instance), and those whose turn failed.
    const workOff = () =>
      telegram.processPending().catch((error: unknown) => logger.failure('telegram.pending_updates', error));
    void workOff();
    telegramRetries = setInterval(() => void workOff(), 15_000);
    telegramRetries.unref();
  }
  let lineRetries: NodeJS.Timeout | undefined;
  if (services.line) {
    const line = services.line;
    // Events recorded before a crash, and events whose handling failed, are worked off again.
    const workOff = () => line.processPending().catch((error: unknown) => logger.failure('line.pending_events', error));
    void workOff();
    lineRetries = setInterval(() => void workOff(), 15_000);
    lineRetries.unref();
    logger.info('LINE bot waiting for events at /webhooks/line');
  }
  // Abandoned drafts and conversations hold someone's story, and handled webhooks pile up: they are deleted once
  // expired.
  const purgeExpired = async () => {
    try {
      const drafts = await services.drafts.purgeExpired();
      const others = await purgeExpiredRecords(services.db, config.retention, new Date());
      const total = drafts + others.conversations + others.processedUpdates + others.inboundEvents + others.mails;
      if (total > 0) logger.info('expired records deleted', { drafts, ...others });
    } catch (error) {
      logger.failure('retention.purge', error);
    }
  };
  void purgeExpired();
  const draftPurge = setInterval(() => void purgeExpired(), 60 * 60_000);
  draftPurge.unref();
  // Lookups ("check before you pay") are logged only as counts, per channel and outcome, once an hour.
  const checkCountLog = setInterval(() => {
    const counts = services.checkStaff.counts.take();
    if (Object.keys(counts).length > 0) logger.info('checks counted', counts);
  }, 60 * 60_000);
  checkCountLog.unref();
  const server = serve(
    {
      fetch: app.fetch,
      port: config.port,
      hostname: config.host,
      serverOptions: slowSenderLimits(config.requestTimeoutMs),
    },
    (info) => {
      const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      logger.info(`Reportline is serving on http://${shownHost}:${info.port}/`, {
        database: config.database.kind,
      });
    },
  );

  let stopping = false;
  /**
   * A graceful stop: /readyz answers 503 at once (the load balancer takes this instance out), no new connection is
   * taken, the requests, turns and deliveries under way finish, the LINE events not begun and the polling lead are
   * handed back to the other instances, the answers of finished turns are sent, and the process exits.
   */
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    services.readiness.markStopping();
    logger.info('stopping', { signal });
    clearInterval(lineRetries);
    clearInterval(telegramRetries);
    clearInterval(draftPurge);
    clearInterval(checkCountLog);
    // The load balancer sees /readyz 503 and stops sending here while requests are still taken (drain), then:
    const finish = () => {
      // Work under way that outlasts the timeout is not lost: its claims pass to another instance when they expire.
      setTimeout(() => {
        logger.warn('stopped before work under way finished', { timeoutMs: config.stopTimeoutMs });
        process.exit(0);
      }, config.stopTimeoutMs).unref();
      const requestsDone = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open; those with a request under way finish it first.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      void (async () => {
        await Promise.allSettled([polling?.stop(), services.line?.stop(), services.telegram?.stop(), requestsDone]);
        // The turns above committed their answers to the chat outbox: sent before the worker stops.
        services.chatWorker.nudge();
        await services.close();
        logger.info('stopped', { signal });
        process.exit(0);
      })().catch((error: unknown) => {
        logger.failure('stop', error);
        process.exit(1);
      });
    };
    setTimeout(finish, config.stopDrainMs);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    // A start-up failure's message may quote stored data (a migration's failing row): its code and frames only.
    consoleLogger.failure('start', error);
  }
  process.exit(1);
});
