import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A deployment's directory file adding the consular desks of Cambodia,
 * Myanmar and Indonesia, which the shipped directory does not hold (it holds
 * only facts with a checked public source; a deployment adds its own). The
 * addresses are placeholders of this test, not real services.
 */
export const consularDeskIds = { KH: 'kh-consular-desk', MM: 'mm-consular-desk', ID: 'id-consular-desk' } as const;

export function writeConsularDeployment(): string {
  const desk = (country: keyof typeof consularDeskIds, name: string) => ({
    id: consularDeskIds[country],
    country,
    name: { en: name },
    roles: ['consular'],
    handles: ['consular'],
    scope: 'consular',
    consularFor: country,
    contacts: [
      {
        kind: 'consular',
        labelKey: 'contacts.consularHelp',
        url: `https://consular.example/${country.toLowerCase()}`,
        source: 'test fixture (a deployment file)',
      },
    ],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'reportline-consular-')), 'deployment.json');
  writeFileSync(
    file,
    JSON.stringify({
      agencies: [
        desk('KH', 'Consular desk for Cambodians abroad'),
        desk('MM', 'Consular desk for Myanmar nationals abroad'),
        desk('ID', 'Consular desk for Indonesians abroad'),
      ],
    }),
  );
  return file;
}
