import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('configuration', () => {
  it('works with nothing set: SQLite under data/, port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', filename: expect.stringMatching(/data\/reportline\.db$/) });
    expect(config.dataKey).toBeUndefined();
  });

  it('switches to PostgreSQL when DATABASE_URL names one, with 10 connections unless DATABASE_POOL_SIZE says', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://127.0.0.1:5432/test',
      maxConnections: 10,
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test', DATABASE_POOL_SIZE: '4' }).database,
    ).toMatchObject({ kind: 'postgres', maxConnections: 4 });
  });

  it('shows the console in UTC unless REPORTLINE_TIME_ZONE names an IANA zone', () => {
    expect(loadConfig({}).timeZone).toBe('UTC');
    expect(loadConfig({ REPORTLINE_TIME_ZONE: 'Asia/Bangkok' }).timeZone).toBe('Asia/Bangkok');
    expect(loadConfig({ REPORTLINE_TIME_ZONE: 'Asia/Ho_Chi_Minh' }).timeZone).toBe('Asia/Ho_Chi_Minh');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('reads the ignore list, normalizing each entry as reports are', () => {
    expect(
      loadConfig({ REPORTLINE_IGNORED_INDICATORS: 'phone:+66 2 123 4567, domain:https://www.binance.com/en' })
        .ignoredIndicators,
    ).toEqual([
      { kind: 'phone', value: '+6621234567' },
      { kind: 'domain', value: 'binance.com' },
    ]);
  });

  it('needs a webhook secret for a Telegram bot in webhook mode, and names it', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAabcdefghijklmnopqrstuvwxyz' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET must be set/,
    );
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAabcdefghijklmnopqrstuvwxyz', TELEGRAM_MODE: 'polling' }).telegram
        ?.mode,
    ).toBe('polling');
  });

  it.each([
    ['TELEGRAM_BOT_TOKEN', 'not-a-token', /TELEGRAM_BOT_TOKEN must be a bot token/],
    [
      'REPORTLINE_IGNORED_INDICATORS',
      'phone:+66 2 123 4567, fax:123',
      /REPORTLINE_IGNORED_INDICATORS has an entry .*"fax:123"/,
    ],
    ['PORT', 'eighty', /PORT must be a whole number between 1 and 65535 \(got "eighty"\)/],
    ['PORT', '70000', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://localhost/x', /DATABASE_URL must be a PostgreSQL URL/],
    ['DATABASE_POOL_SIZE', '1', /DATABASE_POOL_SIZE must be a whole number of connections between 2 and 1000/],
    ['DATABASE_POOL_SIZE', 'ten', /DATABASE_POOL_SIZE must be a whole number of connections/],
    ['PUBLIC_BASE_URL', 'report.example.org', /PUBLIC_BASE_URL must be an absolute URL/],
    ['REPORTLINE_TIME_ZONE', 'GMT+7', /REPORTLINE_TIME_ZONE must be an IANA time zone .*\(got "GMT\+7"\)/],
    ['REPORTLINE_TIME_ZONE', 'Asia/Atlantis', /REPORTLINE_TIME_ZONE must be an IANA time zone/],
  ])('stops on a bad %s with a message that names it', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });
});
