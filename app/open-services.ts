import { DataKeyError, loadOrCreateDevelopmentKey, parseDataKey } from '../intake/crypto/data-key.js';
import { FieldCipher } from '../intake/crypto/field-cipher.js';
import { IgnoredIndicators } from '../intake/indicators/ignored-indicators.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../intake/i18n/create-i18n.js';
import { migrateToLatest } from '../intake/store/migrate.js';
import { openDatabase } from '../intake/store/open-database.js';
import { assembleIntake, type Intake } from './assemble-intake.js';
import { ConfigError, type ReportlineConfig } from './config.js';
import type { Logger } from './logger.js';
import type { i18n } from 'i18next';

/** Everything the server and the CLI share, opened once by the composition root. */
export interface Services extends Intake {
  config: ReportlineConfig;
  i18n: i18n;
  close(): Promise<void>;
}

function dataKeyFor(config: ReportlineConfig, logger: Logger): Buffer {
  if (config.dataKey) {
    try {
      return parseDataKey(config.dataKey);
    } catch (error) {
      if (error instanceof DataKeyError) throw new ConfigError(`Configuration error:\n  REPORTLINE_DATA_KEY ${error.message}`);
      throw error;
    }
  }
  const { key, created } = loadOrCreateDevelopmentKey(config.developmentKeyFile);
  logger.warn(
    `REPORTLINE_DATA_KEY is not set: personal data is encrypted with the development key in ${config.developmentKeyFile}` +
      `${created ? ' (just created)' : ''}. Production needs a real key from a secret store: openssl rand -base64 32`,
  );
  return key;
}

export async function openServices(config: ReportlineConfig, logger: Logger): Promise<Services> {
  const cipher = new FieldCipher(dataKeyFor(config, logger));
  const db = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info('database migrated', { applied: applied.join(',') });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    ...assembleIntake({ db, cipher, ignored: new IgnoredIndicators(config.ignoredIndicators) }),
    config,
    i18n: createI18n(loadLocaleResources(defaultLocalesDir)),
    close: () => db.destroy(),
  };
}
