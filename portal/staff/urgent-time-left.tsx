import type { TFunction } from 'i18next';
import type { UrgentClockView } from '../../intake/urgent/urgent-cases.js';

const minuteMs = 60_000;

/** Whole minutes from `now` until `iso` (negative once it has passed), never "-0". */
export function minutesUntil(iso: string, now: Date): number {
  const minutes = Math.ceil((Date.parse(iso) - now.getTime()) / minuteMs);
  return minutes === 0 ? 0 : minutes;
}

/**
 * How long the hotline has left to take an urgent case, for the queue's
 * row: minutes left, or how late it is (a supervisor was alerted), or that
 * someone took it. Nothing for a case without a clock.
 */
export function UrgentTimeLeft(props: { t: TFunction; clock: UrgentClockView | undefined; now: Date }) {
  const { t, clock } = props;
  if (!clock) return null;
  if (clock.acknowledgedAt)
    return (
      <span class="urgent-clock taken" data-urgent-clock="taken" data-message="urgent.clock.taken">
        {t('urgent.clock.taken')}
      </span>
    );
  const left = minutesUntil(clock.hotlineAckDueAt, props.now);
  return left > 0 ? (
    <span class="urgent-clock" data-urgent-clock="left" data-minutes={left} data-message="urgent.clock.left">
      {t('urgent.clock.left', { minutes: left })}
    </span>
  ) : (
    <span
      class="urgent-clock overdue"
      data-urgent-clock="overdue"
      data-minutes={-left}
      data-message="urgent.clock.overdue"
    >
      {t('urgent.clock.overdue', { minutes: -left })}
    </span>
  );
}
