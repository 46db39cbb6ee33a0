import type { Context, MiddlewareHandler } from 'hono';
import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import type { DutyDesk, UrgentCases } from '../../intake/urgent/urgent-cases.js';
import type { ConsoleEnv } from '../console/console-session.js';

/** The duty desk of each request being answered, loaded before its page is rendered (pages render synchronously). */
const desks = new WeakMap<Request, DutyDesk>();

/**
 * Loads the duty desk for a signed-in hotline account's page: registered
 * after the session check, so only staff pages pay for the two small queries.
 */
export function loadDutyDesk(urgent: UrgentCases | undefined): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const user = c.get('user') as StaffUser | undefined;
    if (urgent && user && user.role !== 'agency' && !desks.has(c.req.raw))
      desks.set(c.req.raw, await urgent.dutyDesk(consoleActor(user)));
    await next();
  };
}

/** The banner of the page being rendered, if its duty desk was loaded. */
export function dutyDeskBannerOf(c: Context<ConsoleEnv>, t: TFunction) {
  const desk = desks.get(c.req.raw);
  if (!desk) return undefined;
  const user = c.get('user') as StaffUser | undefined;
  return <DutyDeskBanner t={t} desk={desk} supervisor={user?.role === 'supervisor' || user?.role === 'admin'} />;
}

/**
 * The duty desk, on every console page of the hotline: how many urgent cases
 * nobody has taken yet (the queue, urgent first, shows each one's time left);
 * for supervisors, those not taken in time; and those offered to another
 * agency that has not accepted. Counts only: no reference is shown outside
 * the queue's own filters.
 * No sound and nothing that flashes: a calm, always-visible count, updated
 * on every page and, with script, every 20 seconds (`/assets/duty-desk.js`).
 */
export function DutyDeskBanner(props: { t: TFunction; desk: DutyDesk; supervisor: boolean }) {
  const { t, desk } = props;
  return (
    <div
      role="status"
      class={desk.waiting > 0 ? 'duty-desk waiting' : 'duty-desk'}
      aria-label={t('urgent.desk.label')}
      data-duty-desk
      data-waiting={desk.waiting}
    >
      <span class="duty-count">
        {t('urgent.desk.waiting')} <strong data-duty-count="waiting">{desk.waiting}</strong>
      </span>
      {props.supervisor ? (
        <span class="duty-count" data-supervisor>
          {t('urgent.desk.overdue')} <strong data-duty-count="overdue">{desk.overdue}</strong>
        </span>
      ) : null}
      <span class="duty-count">
        {t('urgent.desk.escalated')} <strong data-duty-count="escalated">{desk.escalated}</strong>
      </span>
      <a href="/staff" class="duty-queue">
        {t('urgent.desk.openQueue')}
      </a>
    </div>
  );
}
