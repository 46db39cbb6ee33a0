import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorDraft } from '../../intake/delivery/exports/indicators-misp.js';

const template = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/misp-objects/telegram-account/definition.json'), 'utf8'),
) as { attributes: Record<string, unknown> };

describe('a Telegram account known by its id, in the MISP export', () => {
  it('is a telegram-account object with the id relation MISP defines, and a username stays a username', () => {
    const byId = indicatorDraft({ kind: 'telegram', value: 'id:6021447001', validity: 'valid' }, 'forwarded');
    expect(byId).toMatchObject({ template: 'telegram-account' });
    expect(JSON.stringify(byId)).toContain('"relation":"id"');
    expect(JSON.stringify(byId)).toContain('"value":"6021447001"');
    expect(template.attributes).toHaveProperty('id');
    const byName = indicatorDraft({ kind: 'telegram', value: 'bestjobs_th', validity: 'plausible' }, 'typed');
    expect(JSON.stringify(byName)).toContain('"relation":"username"');
  });
});
