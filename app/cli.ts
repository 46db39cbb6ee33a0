import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { staffRoles, type StaffRole } from '../intake/accounts/account-store.js';
import { totpUri } from '../intake/accounts/totp.js';
import { parseArgs } from 'node:util';
import { exportCases, exportFormats, type ExportFormat } from '../intake/delivery/exports/export-cases.js';
import { createApiToken, tokenRoles, type TokenRole } from '../intake/store/api-tokens.js';
import { ConfigError, loadConfig } from './config.js';
import { consoleLogger } from './logger.js';
import { openServices } from './open-services.js';

const usage = `Usage: npm run reportline -- <command>

Commands:
  migrate                                  bring the database schema up to date
  token create --role admin [--label L]    create an API token (printed once)
  token create --agency ID [--label L]     create an agency's API token (printed once)
  user create --username NAME --role hotline|supervisor|admin|agency [--agency ID] [--totp]
                                           create a staff or agency account (password printed once)
  export --format csv|json|misp [--agency ID] [--since DATE] [--out FILE]
                                           export shareable cases (one agency's, or all)
`;

class UsageError extends Error {}

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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, subcommand] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return;
  }
  const known =
    command === 'migrate' || command === 'export' || ((command === 'token' || command === 'user') && subcommand === 'create');
  if (!known) {
    throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  }

  const config = loadConfig(process.env);
  // Opening the services runs the migrations, which is all `migrate` asks for.
  const services = await openServices(config, consoleLogger);
  try {
    if (values.agency && !services.directory.agencies.has(values.agency)) {
      throw new UsageError(`no agency has the id "${values.agency}" (see intake/routing/agency-directory.json or your REPORTLINE_DIRECTORY_FILE)`);
    }
    if (command === 'migrate') {
      process.stdout.write(`The ${config.database.kind} database is up to date.\n`);
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
      process.stdout.write(`Created ${role} account "${user.username}". Its password, shown only once:\n\n${password}\n`);
      if (values.totp) {
        const secret = await accounts.enableTotp(user.id);
        process.stdout.write(`\nSecond factor: add this to an authenticator app (QR or text):\n${totpUri(secret, user.username)}\n`);
      }
      return;
    }
    if (command === 'export') {
      const format = values.format ?? 'json';
      if (!(exportFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of: ${exportFormats.join(', ')}`);
      if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new UsageError('--since must be an ISO 8601 date');
      const result = await exportCases(services.db, services, {
        format: format as ExportFormat,
        agencyId: values.agency ?? null,
        ...(values.since ? { since: new Date(values.since).toISOString() } : {}),
        now: new Date(),
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
    if (!tokenRole || !tokenRoles.includes(tokenRole)) throw new UsageError(`--role must be one of: ${tokenRoles.join(', ')}`);
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

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${usage}`);
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
