import { describe, expect, it } from 'vitest';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';
import { recruiterLeadIndicators } from '../../intake/recruiters/recruiter-lead-indicators.js';
import { recruiterLeadSchema } from '../../intake/recruiters/recruiter-lead.js';
import { recruiterLeadLines } from '../../portal/console/recruiter-lead-lines.js';
import { testI18n } from '../support/test-portal.js';

/** The key itself, with its values: the line names what it says, not how a language says it. */
const keysOnly = ((key: string, values?: Record<string, string>) =>
  values ? `${key}(${Object.values(values).join(',')})` : key) as unknown as Parameters<typeof recruiterLeadLines>[0];

describe('whom forwarded messages came from, as staff read it and as it links', () => {
  it('writes each lead on a line, and says of a hidden user that its name links nothing', () => {
    const lines = recruiterLeadLines(keysOnly, [
      { via: 'telegram_user', userId: 42_000_001, username: 'BestJobs_TH', name: 'Job Agent' },
      { via: 'telegram_hidden_user', name: 'HR Manager' },
      { via: 'telegram_channel', chatId: -1_001_987_654_321, title: 'Jobs abroad', messageId: 77 },
    ])!.split('\n');
    expect(lines).toEqual([
      'recruiters.via.telegram_user: Job Agent · @BestJobs_TH · id 42000001',
      'recruiters.via.telegram_hidden_user: “HR Manager” · recruiters.hiddenNote',
      'recruiters.via.telegram_channel: Jobs abroad · id -1001987654321 · recruiters.post(77)',
    ]);
    expect(recruiterLeadLines(keysOnly, [])).toBeUndefined();
    // The words exist in the staff texts (the completeness test checks every language).
    expect(testI18n.exists('staff:recruiters.hiddenNote')).toBe(true);
  });

  it('links by id for users, chats, channels and contact cards; never by a hidden user; a staff search finds an id', () => {
    expect(recruiterLeadIndicators({ via: 'telegram_hidden_user', name: 'HR Manager' }, 's')).toEqual([]);
    expect(
      recruiterLeadIndicators({ via: 'telegram_contact', userId: 42_000_001, phone: '66 81 234 5678' }, 's').map(
        (indicator) => `${indicator.kind}:${indicator.value}`,
      ),
    ).toEqual(['telegram:id:42000001', 'phone:+66812345678']);
    expect(normalizeIndicator('telegram', 'id:-1001987654321')?.value).toBe('id:-1001987654321');
    expect(normalizeIndicator('telegram', '@BestJobs_TH')?.value).toBe('bestjobs_th');
  });

  it('refuses a lead with a control character in its name at the edge', () => {
    expect(recruiterLeadSchema.safeParse({ via: 'telegram_hidden_user', name: 'HR\u202eManager' }).success).toBe(false);
  });
});
