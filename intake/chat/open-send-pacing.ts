import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { PostgresSendSlots } from './postgres-send-slots.js';
import { SendRateLimiter, type SendPacer } from './send-rate-limiter.js';
import { SharedSendPacer, type SendSlots } from './shared-send-pacer.js';

/** A shared store that is down is logged at most this often. */
const logEveryMs = 60_000;

/** Where a deployment paces its platform channels: chosen from the configuration, as the rate limits are. */
export type SendPacingChoice = { kind: 'memory' } | { kind: 'postgres' } | { kind: 'redis'; url: string };

/** Redis when REDIS_URL is set; else the PostgreSQL database the instances share; else this process (SQLite). */
export function chooseSendPacing(options: {
  redisUrl: string | undefined;
  database: 'sqlite' | 'postgres';
}): SendPacingChoice {
  if (options.redisUrl) return { kind: 'redis', url: options.redisUrl };
  return options.database === 'postgres' ? { kind: 'postgres' } : { kind: 'memory' };
}

export interface SendPacing {
  readonly kind: SendPacingChoice['kind'];
  /** The pacer of one channel (`telegram`: 30 a second for the whole bot), shared by every instance but memory. */
  pacerFor(channel: string, perSecond: number): SendPacer;
  close(): Promise<void>;
}

/** The pacing over the chosen store; Redis's client is imported only when REDIS_URL chose it (see openRateLimits). */
export async function openSendPacing(options: {
  choice: SendPacingChoice;
  db: Kysely<Database>;
  /** A shared store that is down (at most once a minute); this process then paces alone. */
  onError: (error: unknown) => void;
}): Promise<SendPacing> {
  const { choice } = options;
  let lastLogged = Number.NEGATIVE_INFINITY;
  const onError = (error: unknown) => {
    const at = Date.now();
    if (at - lastLogged < logEveryMs) return;
    lastLogged = at;
    options.onError(error);
  };
  const slots: SendSlots | undefined =
    choice.kind === 'redis'
      ? new (await import('./redis-send-slots.js')).RedisSendSlots({ url: choice.url, onError })
      : choice.kind === 'postgres'
        ? new PostgresSendSlots(options.db)
        : undefined;
  return {
    kind: choice.kind,
    pacerFor: (channel, perSecond) =>
      slots ? new SharedSendPacer({ slots, channel, perSecond, onError }) : new SendRateLimiter(perSecond),
    close: async () => {
      await slots?.close();
    },
  };
}
