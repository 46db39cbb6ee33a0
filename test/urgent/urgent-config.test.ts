import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('the urgent settings', () => {
  it('default to 15 minutes for the hotline, 30 for an agency, Interpol next, and no staff group', () => {
    expect(loadConfig({}).urgent).toMatchObject({
      hotlineAckMinutes: 15,
      defaultAgencyAcceptMinutes: 30,
      escalationAgencies: ['interpol'],
      dutyTelegramChatId: undefined,
      dutyLineGroupId: undefined,
    });
  });

  it('refuse a staff group whose bot does not run, and values that are not minutes or ids', () => {
    expect(() => loadConfig({ REPORTLINE_DUTY_TELEGRAM_CHAT_ID: '-1001234567890' })).toThrow(ConfigError);
    expect(() => loadConfig({ REPORTLINE_URGENT_ACK_MINUTES: 'soon' })).toThrow(/REPORTLINE_URGENT_ACK_MINUTES/);
    expect(() => loadConfig({ REPORTLINE_URGENT_ESCALATION_AGENCIES: 'Interpol!' })).toThrow(
      /REPORTLINE_URGENT_ESCALATION_AGENCIES/,
    );
    expect(
      loadConfig({ REPORTLINE_URGENT_ESCALATION_AGENCIES: 'aseanapol, interpol' }).urgent.escalationAgencies,
    ).toEqual(['aseanapol', 'interpol']);
  });
});
