import type { Telegraf } from 'telegraf';
import { LeaderLock } from '../intake/store/leader-lock.js';
import type { ReportlineConfig } from './config.js';
import type { Logger } from './logger.js';

export interface TelegramPolling {
  /** Stops polling (the updates in hand are handled first) and hands the lead to another instance. */
  stop(): Promise<void>;
}

/** A failed start (Telegram unreachable) is tried again after this, while this instance leads. */
const relaunchDelayMs = 3_000;

/**
 * Telegram long polling in one instance at a time: Telegram refuses a second getUpdates (409 Conflict). On
 * PostgreSQL the instances elect the poller with an advisory lock (intake/store/leader-lock.ts): the others try for
 * it every POLLING_LEADER_RETRY_SECONDS and take over when the poller dies; updates it had not confirmed are
 * fetched again by the next one and recognised by their update_id. On SQLite there is only one instance.
 */
export function pollTelegram(
  bot: Pick<Telegraf, 'launch' | 'stop'>,
  config: ReportlineConfig,
  logger: Logger,
): TelegramPolling {
  let running: Promise<void> | undefined;
  let wanted = false;

  const launch = () => {
    if (running || !wanted) return;
    logger.info('Telegram bot polling for updates');
    running = bot
      .launch({ dropPendingUpdates: false })
      .catch((error: unknown) => logger.failure('telegram.polling', error))
      .finally(() => {
        running = undefined;
        // Stopped for a lead that came back meanwhile, or failed while still leading: start again.
        if (wanted) setTimeout(launch, relaunchDelayMs).unref();
      });
  };
  const halt = () => {
    wanted = false;
    const attempt = () => {
      if (!running) return;
      try {
        bot.stop('not the polling instance');
      } catch {
        // Still connecting (getMe, deleteWebhook): not polling yet, so stop it once it is.
        setTimeout(attempt, 50).unref();
      }
    };
    attempt();
  };

  if (config.database.kind !== 'postgres') {
    wanted = true;
    launch();
    return {
      stop: async () => {
        halt();
        await running;
      },
    };
  }
  const lock = new LeaderLock({
    url: config.database.url,
    // The bot's id (the token's public part) names the lead: bots of other deployments on one database are apart.
    name: `telegram-polling:${config.telegram?.token.split(':')[0] ?? ''}`,
    retryMs: config.pollingLeaderRetryMs,
    onLead: () => {
      wanted = true;
      launch();
    },
    onLoss: () => {
      logger.info('Telegram polling handed over');
      halt();
    },
    onError: (error) => logger.failure('telegram.polling_leader', error),
  });
  lock.start();
  logger.info('Telegram bot polling in the instance that holds the lead');
  return {
    stop: async () => {
      halt();
      await running;
      // Released only once this instance stopped polling, so two never poll at once.
      await lock.stop();
    },
  };
}
