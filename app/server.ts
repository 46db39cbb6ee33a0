import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { createPortal } from './create-portal.js';
import { consoleLogger } from './logger.js';
import { openServices } from './open-services.js';

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
  if (services.telegram && config.telegram?.mode === 'polling') {
    // Long polling, for a machine Telegram cannot reach: the bot asks for updates itself.
    void services.telegram.bot.launch({ dropPendingUpdates: false }).catch((error: unknown) =>
      logger.error('telegram polling stopped', { error: error instanceof Error ? error.name : 'non-error thrown' }),
    );
    logger.info('Telegram bot polling for updates');
  } else if (services.telegram) {
    logger.info('Telegram bot waiting for updates at /webhooks/telegram');
  }
  let lineRetries: NodeJS.Timeout | undefined;
  if (services.line) {
    const line = services.line;
    // Events recorded before a crash, and events whose handling failed, are worked off again.
    const workOff = () => line.processPending().catch((error: unknown) => logger.error('LINE events failed', { error: error instanceof Error ? error.name : 'non-error thrown' }));
    void workOff();
    lineRetries = setInterval(() => void workOff(), 15_000);
    lineRetries.unref();
    logger.info('LINE bot waiting for events at /webhooks/line');
  }
  // Abandoned drafts of the web form hold someone's story: they are deleted once expired.
  const purgeDrafts = () =>
    services.drafts
      .purgeExpired()
      .then((count) => (count > 0 ? logger.info('expired form drafts deleted', { count }) : undefined))
      .catch((error: unknown) => logger.error('deleting expired drafts failed', { error: error instanceof Error ? error.name : 'non-error thrown' }));
  void purgeDrafts();
  const draftPurge = setInterval(() => void purgeDrafts(), 60 * 60_000);
  draftPurge.unref();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    logger.info(`Reportline is serving on http://${shownHost}:${info.port}/`, {
      database: config.database.kind,
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    if (services.telegram && config.telegram?.mode === 'polling') services.telegram.bot.stop(signal);
    clearInterval(lineRetries);
    clearInterval(draftPurge);
    server.close(() => {
      void services.close().then(() => process.exit(0));
    });
    // Keep-alive connections may hold close() open; do not hang a deploy.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Reportline could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
