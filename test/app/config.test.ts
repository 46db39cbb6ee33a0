import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('configuration', () => {
  it('works with nothing set: SQLite under data/, port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', filename: expect.stringMatching(/data\/reportline\.db$/) });
    expect(config.dataKey).toBeUndefined();
  });

  it('switches to PostgreSQL when DATABASE_URL names one', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://127.0.0.1:5432/test',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number between 1 and 65535 \(got "eighty"\)/],
    ['PORT', '70000', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://localhost/x', /DATABASE_URL must be a PostgreSQL URL/],
    ['PUBLIC_BASE_URL', 'report.example.org', /PUBLIC_BASE_URL must be an absolute URL/],
  ])('stops on a bad %s with a message that names it', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });
});
