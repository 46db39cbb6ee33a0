import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { disableAccount, enableAccount, listAccounts } from '../intake/accounts/account-admin.js';
import { AccountError, staffRoles, type StaffRole } from '../intake/accounts/account-store.js';
import { totpUri } from '../intake/accounts/totp.js';
import { parseArgs } from 'node:util';
import { exportCases, exportFormats, type ExportFormat } from '../intake/delivery/exports/export-cases.js';
import { exportSinceInstant } from '../intake/delivery/exports/export-since.js';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  tokenRoles,
  type TokenRole,
} from '../intake/store/api-tokens.js';
import { ConfigError, loadConfig } from './config.js';
import { consoleLogger } from './logger.js';
import { openServices } from './open-services.js';
import { existsSync } from 'node:fs';
import { DataKeyError, loadOrCreateDevelopmentKey, parseDataKey } from '../intake/crypto/data-key.js';
import { FieldCipher } from '../intake/crypto/field-cipher.js';
import { partnerHashesOfText } from '../intake/check/partner-hashes-of-text.js';
import { copyToPostgres, CopyRefusedError, CopyVerificationError, readBackNewestReport } from './copy-to-postgres.js';

const usage = `Usage: npm run reportline -- <command>

Commands:
  migrate                                  bring the database schema up to date
  token create --role admin [--label L]    create an API token (printed once)
  token create --agency ID [--label L]     create an agency's API token (printed once)
  token create --role partner --label L    create a partner's token for the check range API (printed once)
  token list                               list API tokens: id, role, agency, label, created, revoked
  token revoke ID                          revoke a token at once (ID as printed by token create)
  user create --username NAME --role hotline|supervisor|admin|agency [--agency ID] [--totp]
                                           create a staff or agency account (password printed once)
  user list                                list accounts: id, username, role, agency, second factor, created, disabled
  user disable --username NAME             end all of an account's sessions and refuse its sign-in
  user enable --username NAME              let a disabled account sign in again
  export --format csv|json|misp|stix [--agency ID] [--since DATE] [--out FILE]
                                           export shareable cases (one agency's, or all)
  check partner-key                        print the key partners hash indicators with for the check range API
  check hash TEXT [--country CC]           the kind, normalized value and partner hash of each indicator in TEXT
  copy-to-postgres --from FILE --to URL    copy a whole SQLite database (e.g. data/reportline.db) into a new,
                                           empty PostgreSQL database, checking each table's rows and checksum

Every change is written to the audit log with the actor "cli".
`;

/** The commands each group knows, to refuse a typo before the database is opened. */
const commands: Record<string, readonly (string | undefined)[]> = {
  migrate: [undefined],
  'copy-to-postgres': [undefined],
  export: [undefined],
  token: ['create', 'list', 'revoke'],
  check: ['partner-key', 'hash'],
  user: ['create', 'list', 'disable', 'enable'],
};

/** Rows as aligned columns for a terminal; an empty cell shows as "-". */
function table(header: string[], rows: Array<Array<string | null>>): string {
  const cells = [
    header,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === '' ? '-' : cell.replace(/\p{Cc}/gu, ' ')))),
  ];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

class UsageError extends Error {}

/** A refusal written for the operator (what they named does not exist): printed as it is. */
class RefusalError extends Error {}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      agency: { type: 'string' },
      label: { type: 'string' },
      format: { type: 'string' },
      since: { type: 'string' },
      out: { type: 'string' },
      username: { type: 'string' },
      totp: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      country: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, subcommand, argument] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return;
  }
  if (!Object.hasOwn(commands, command) || !commands[command]!.includes(subcommand)) {
    throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  }
  if (command === 'token' && subcommand === 'revoke' && !argument)
    throw new UsageError("token revoke needs the token's ID (see token list)");
  if (command === 'user' && (subcommand === 'disable' || subcommand === 'enable') && !values.username)
    throw new UsageError('--username is required');

  if (command === 'copy-to-postgres') return copyCommand(values.from, values.to);

  const config = loadConfig(process.env);
  // Opening the services runs the migrations, which is all `migrate` asks for.
  const services = await openServices(config, consoleLogger);
  try {
    if (values.agency && !services.directory.agencies.has(values.agency)) {
      throw new UsageError(
        `no agency has the id "${values.agency}" (see intake/routing/agency-directory.json or your REPORTLINE_DIRECTORY_FILE)`,
      );
    }
    if (command === 'migrate') {
      process.stdout.write(`The ${config.database.kind} database is up to date.\n`);
      return;
    }
    if (command === 'token' && subcommand === 'list') {
      const tokens = await listApiTokens(services.db);
      process.stdout.write(
        table(
          ['ID', 'ROLE', 'AGENCY', 'LABEL', 'CREATED', 'REVOKED'],
          tokens.map((token) => [token.id, token.role, token.agencyId, token.label, token.createdAt, token.revokedAt]),
        ),
      );
      return;
    }
    if (command === 'token' && subcommand === 'revoke') {
      const outcome = await revokeApiToken(services.db, argument!, { actor: 'cli' });
      if (outcome === 'not_found') throw new RefusalError(`no token has the id "${argument}" (see token list)`);
      process.stdout.write(
        outcome === 'revoked'
          ? `Revoked token ${argument}: it opens nothing from now on.\n`
          : `Token ${argument} was already revoked.\n`,
      );
      return;
    }
    if (command === 'user' && subcommand === 'list') {
      const accounts = await listAccounts(services.db);
      process.stdout.write(
        table(
          ['ID', 'USERNAME', 'ROLE', 'AGENCY', 'TOTP', 'CREATED', 'DISABLED'],
          accounts.map((account) => [
            account.id,
            account.username,
            account.role,
            account.agencyId,
            account.totpEnabled ? 'yes' : 'no',
            account.createdAt,
            account.disabledAt,
          ]),
        ),
      );
      return;
    }
    if (command === 'user' && (subcommand === 'disable' || subcommand === 'enable')) {
      const change = (subcommand === 'disable' ? disableAccount : enableAccount)(services.db, values.username!, {
        actor: 'cli',
      });
      const { user, changed, sessionsEnded } = await change.catch((error: unknown) => {
        if (error instanceof AccountError && error.code === 'account.not_found')
          throw new RefusalError(`no account has the username "${values.username}" (see user list)`);
        throw error;
      });
      if (subcommand === 'disable') {
        process.stdout.write(
          `${changed ? 'Disabled' : 'Already disabled:'} account "${user.username}"; ${sessionsEnded} session(s) ended. Its sign-in is refused until: user enable --username ${user.username}\n`,
        );
      } else {
        process.stdout.write(
          changed
            ? `Enabled account "${user.username}": it can sign in again.\n`
            : `Account "${user.username}" was not disabled.\n`,
        );
      }
      return;
    }
    if (command === 'user') {
      const role = values.role as StaffRole | undefined;
      if (!role || !staffRoles.includes(role)) throw new UsageError(`--role must be one of: ${staffRoles.join(', ')}`);
      if (!values.username) throw new UsageError('--username is required');
      const { accounts } = services;
      const password = randomBytes(18).toString('base64url');
      const user = await accounts.createUser({
        username: values.username,
        password,
        role,
        ...(values.agency ? { agencyId: values.agency } : {}),
      });
      process.stdout.write(
        `Created ${role} account "${user.username}". Its password, shown only once:\n\n${password}\n`,
      );
      if (values.totp) {
        const secret = await accounts.enableTotp(user.id);
        process.stdout.write(
          `\nSecond factor: add this to an authenticator app (QR or text):\n${totpUri(secret, user.username)}\n`,
        );
      }
      return;
    }
    if (command === 'check') {
      process.stdout.write(checkCommand(services.cipher, subcommand, argument, values.country));
      return;
    }
    if (command === 'export') {
      const format = values.format ?? 'json';
      if (!(exportFormats as readonly string[]).includes(format))
        throw new UsageError(`--format must be one of: ${exportFormats.join(', ')}`);
      const since = values.since === undefined ? undefined : exportSinceInstant(values.since);
      if (values.since !== undefined && since === undefined)
        throw new UsageError('--since must be an ISO 8601 date (2025-09-01) or date and time (2025-09-01T00:00:00Z)');
      const result = await exportCases(services.db, services, {
        format: format as ExportFormat,
        agencyId: values.agency ?? null,
        ...(since ? { since } : {}),
        now: new Date(),
        marking: config.exportMarking,
      });
      if (values.out) {
        writeFileSync(values.out, result.body, { mode: 0o600 });
        process.stderr.write(`Exported ${result.count} case(s) to ${values.out}\n`);
      } else {
        process.stdout.write(result.body);
      }
      return;
    }
    const tokenRole = (values.role ?? (values.agency ? 'agency' : undefined)) as TokenRole | undefined;
    if (!tokenRole || !tokenRoles.includes(tokenRole))
      throw new UsageError(`--role must be one of: ${tokenRoles.join(', ')}`);
    if (tokenRole === 'agency' && !values.agency) throw new UsageError('an agency token needs --agency ID');
    const { id, token } = await createApiToken(services.db, {
      role: tokenRole,
      ...(values.agency ? { agencyId: values.agency } : {}),
      ...(values.label ? { label: values.label } : {}),
    });
    process.stdout.write(
      `Created ${tokenRole} token ${id}.\nStore it now in a password manager; it is shown only once:\n\n${token}\n`,
    );
  } finally {
    await services.close();
  }
}

/**
 * `check partner-key` prints the key a partner of the range API hashes with
 * (HKDF of the data key under its own label: it opens nothing else), to hand
 * over as a secret; `check hash` shows what their normalization must yield.
 */
function checkCommand(
  cipher: FieldCipher,
  subcommand: string | undefined,
  text: string | undefined,
  country: string | undefined,
): string {
  if (subcommand === 'partner-key')
    return (
      `${cipher.checkPartnerKey().toString('hex')}\n` +
      'Give it to the partner as a secret. It computes hex(HMAC-SHA256(key, kind + ":" + normalized value)) and\n' +
      'nothing else: it does not decrypt reports nor match their blind indexes.\n'
    );
  if (!text) throw new UsageError('check hash needs the text to hash, e.g. check hash "081 234 5678" --country TH');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country))
    throw new UsageError('--country must be a two-letter ISO 3166-1 code, e.g. TH');
  const rows = partnerHashesOfText(cipher, text, country?.toUpperCase());
  if (rows.length === 0) return 'No phone, wallet, account, site or handle recognised in that text.\n';
  return table(
    ['kind', 'normalized value', 'partner hash'],
    rows.map((row) => [row.kind, row.value, row.hash]),
  );
}

/**
 * `copy-to-postgres`: the move of a SQLite deployment to PostgreSQL. Run with
 * the deployment stopped (rows written during the copy would be left behind).
 */
async function copyCommand(from: string | undefined, to: string | undefined): Promise<void> {
  if (!from) throw new UsageError('copy-to-postgres needs --from, the SQLite file (data/reportline.db)');
  if (!to || !/^postgres(ql)?:\/\/\S+$/.test(to))
    throw new UsageError(
      'copy-to-postgres needs --to, a PostgreSQL URL such as postgres://user@127.0.0.1:5432/reportline',
    );
  const copies = await copyToPostgres({
    from,
    to: { kind: 'postgres', url: to },
    onTable: (copy) =>
      process.stdout.write(`copied ${copy.table}: ${copy.rows} row(s), checksum ${copy.checksum.slice(0, 16)}\n`),
  });
  const rows = copies.reduce((sum, copy) => sum + copy.rows, 0);
  process.stdout.write(`Copied ${copies.length} tables, ${rows} rows; every table's count and checksum match.\n`);
  const config = loadConfig(process.env);
  const key = config.dataKey
    ? parseDataKey(config.dataKey)
    : existsSync(config.developmentKeyFile)
      ? loadOrCreateDevelopmentKey(config.developmentKeyFile).key
      : undefined;
  if (!key) {
    process.stdout.write(
      'No REPORTLINE_DATA_KEY set: the sample decrypt was skipped. Start the instances with the same key.\n',
    );
    return;
  }
  const read = await readBackNewestReport({ kind: 'postgres', url: to }, new FieldCipher(key));
  process.stdout.write(
    read ? `Read report ${read.reference} back from PostgreSQL with the data key.\n` : 'No report to read back yet.\n',
  );
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${usage}`);
  } else if (
    error instanceof ConfigError ||
    error instanceof RefusalError ||
    error instanceof AccountError ||
    error instanceof CopyRefusedError ||
    error instanceof CopyVerificationError ||
    error instanceof DataKeyError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    // Anything else may carry stored data in its message (a database error quotes the row): its code and frames only.
    consoleLogger.failure('cli.command', error);
  }
  process.exit(1);
});
