import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import shipped from './agency-directory.json' with { type: 'json' };
import type { FraudDesk } from '../mules/fraud-desks.js';
import {
  agencySchema,
  deploymentFileSchema,
  shippedDirectorySchema,
  type Agency,
  type AgencyRole,
  type DeploymentRule,
} from './directory-schema.js';

export class DirectoryError extends Error {
  readonly code = 'directory.invalid';
}

export interface AgencyDirectory {
  agencies: ReadonlyMap<string, Agency>;
  rules: readonly DeploymentRule[];
  /** The agency of a country that has this role (the country's police, its scam centre…). */
  byRole(country: string, role: AgencyRole): Agency | undefined;
  /** The consular service that helps nationals of this country abroad (a deployment's own desk first). */
  consularFor(nationality: string): Agency | undefined;
  /** Banks' fraud desks for freeze requests: only the deployment's (intake/mules/fraud-desks.ts). */
  fraudDesks: readonly FraudDesk[];
}

/**
 * Names the file, the entry and the field of every problem:
 * `deployment.json: agencies[kr-knpa].delivery.webhook.url: Invalid URL`.
 */
function describeIssues(file: string, data: unknown, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const [section, index, ...rest] = issue.path;
      let entry = section === undefined ? '' : String(section);
      if (typeof index === 'number') {
        const item = (data as Record<string, unknown[]>)[String(section)]?.[index] as { id?: unknown } | undefined;
        entry += typeof item?.id === 'string' ? `[${item.id}]` : `[${index}]`;
      } else if (index !== undefined) {
        entry += `.${String(index)}`;
      }
      const field = rest.map(String).join('.');
      return `${file}: ${[entry, field].filter(Boolean).join('.') || '(file)'}: ${issue.message}`;
    })
    .join('\n');
}

function parseJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DirectoryError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DirectoryError(`${path}: is not valid JSON (${(error as Error).message})`);
  }
}

function buildDirectory(
  agencies: Map<string, Agency>,
  rules: DeploymentRule[],
  fraudDesks: FraudDesk[] = [],
): AgencyDirectory {
  return {
    agencies,
    rules,
    fraudDesks,
    byRole: (country, role) =>
      [...agencies.values()].find((agency) => agency.country === country && agency.roles.includes(role)),
    // The last one listed: a consular desk the deployment adds (after the shipped ones) is the channel it agreed
    // with, and takes the place of the shipped service for that nationality.
    consularFor: (nationality) =>
      [...agencies.values()].findLast(
        (agency) => agency.roles.includes('consular') && agency.consularFor === nationality,
      ),
  };
}

/**
 * The agency directory: the one shipped with Reportline, with a deployment's
 * own file (REPORTLINE_DIRECTORY_FILE) adding agencies, changing them field
 * by field, giving their delivery endpoints, and adding rules. Everything is
 * validated at start-up; a problem stops it with the file, entry and field.
 */
export function loadAgencyDirectory(options: { deploymentFile?: string } = {}): AgencyDirectory {
  const base = shippedDirectorySchema.safeParse(shipped);
  if (!base.success)
    throw new DirectoryError(describeIssues('intake/routing/agency-directory.json', shipped, base.error));
  const agencies = new Map(base.data.agencies.map((agency) => [agency.id, agency]));
  if (!options.deploymentFile) return buildDirectory(agencies, []);

  const file = options.deploymentFile;
  const data = parseJsonFile(file);
  const deployment = deploymentFileSchema.safeParse(data);
  if (!deployment.success) throw new DirectoryError(describeIssues(file, data, deployment.error));
  const problems: string[] = [];
  deployment.data.agencies.forEach((change) => {
    const merged = { ...(agencies.get(change.id) ?? {}), ...change };
    const checked = agencySchema.safeParse(merged);
    if (!checked.success) {
      problems.push(
        ...checked.error.issues.map(
          (issue) =>
            `${file}: agencies[${change.id}].${issue.path.join('.') || '(entry)'}: ${agencies.has(change.id) ? '' : 'new agency: '}${issue.message}`,
        ),
      );
      return;
    }
    agencies.set(change.id, checked.data);
  });
  deployment.data.rules.forEach((rule, index) => {
    if (!agencies.has(rule.copy)) problems.push(`${file}: rules[${index}].copy: no agency has the id "${rule.copy}"`);
  });
  if (problems.length > 0) throw new DirectoryError(problems.join('\n'));
  return buildDirectory(agencies, deployment.data.rules, deployment.data.fraudDesks);
}
