import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InsertQueryNode, type KyselyPlugin } from 'kysely';
import { assembleChatOutbox } from '../../app/assemble-conversations.js';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { assembleMessenger } from '../../app/assemble-messenger.js';
import { caseParts } from '../../app/create-portal.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/** Refuses every insert into the audit log, as a database refusing the last write of a use case would. */
export class AuditInsertRefused extends Error {
  readonly code = 'test.audit_refused';
}

export const refuseAuditInserts: KyselyPlugin = {
  transformQuery(args) {
    const { node } = args;
    if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'audit_events')
      throw new AuditInsertRefused('the audit log refused this event');
    return node;
  },
  transformResult: async (args) => args.result,
};

/**
 * The case use cases over a fresh database, built by the composition root's
 * caseParts, twice: as deployed, and over a handle whose audit inserts are
 * refused (every other statement passes), to show that a use case whose
 * audit event fails leaves nothing of its change behind.
 */
export async function openCaseFixture(kind: 'sqlite' | 'postgres', options: { now?: () => Date } = {}) {
  const database: TestDatabase = await createTestDatabase(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'reportline-cases-'));
  const directory = loadAgencyDirectory();
  const cipher = new FieldCipher(randomBytes(32));
  const intakeOver = (db: TestDatabase['db']): Intake =>
    assembleIntake({
      db,
      cipher,
      router: createCaseRouter(directory),
      dataDir,
      ...(options.now ? { now: options.now } : {}),
    });
  const build = (intake: Intake) =>
    caseParts({
      ...intake,
      i18n: testI18n,
      directory,
      messenger: assembleMessenger({ intake, outbox: assembleChatOutbox(intake), channels: [] }),
      dataDir,
      deliveriesQueued: () => {},
    });
  const intake = intakeOver(database.db);
  return {
    database,
    db: database.db,
    dataDir,
    directory,
    intake,
    ...build(intake),
    /** The same use cases, over a database handle that refuses every audit insert. */
    refusing: build(intakeOver(database.db.withPlugin(refuseAuditInserts))).useCases,
    close: async () => {
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type CaseFixture = Awaited<ReturnType<typeof openCaseFixture>>;
