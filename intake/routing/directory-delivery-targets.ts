import type { DeliveryTargets } from '../delivery/agency-delivery-sender.js';
import { webhookSecretFormat, webhookSecretProblem } from '../delivery/webhook-signature.js';
import { DirectoryError, type AgencyDirectory } from './load-agency-directory.js';

/**
 * Where each agency receives its cases, from the deployment's directory, with
 * each webhook's Standard Webhooks secret (`whsec_…`) read from the environment
 * variable the directory names. A named variable that is not set, or holds
 * something else than such a secret, stops start-up (as a configuration error
 * naming the variable, never its value): a webhook that can never be signed,
 * or that the agency's Standard Webhooks library cannot verify, would fail
 * every delivery.
 */
export function directoryDeliveryTargets(
  directory: AgencyDirectory,
  env: Record<string, string | undefined>,
): DeliveryTargets {
  const problems = [...directory.agencies.values()].flatMap((agency) => {
    const webhook = agency.delivery?.webhook;
    if (!webhook) return [];
    const where = `agencies[${agency.id}].delivery.webhook.secretEnv`;
    const secret = env[webhook.secretEnv];
    if (!secret) return [`${where}: the environment variable ${webhook.secretEnv} is not set`];
    const problem = webhookSecretProblem(secret);
    return problem
      ? [
          `${where}: the environment variable ${webhook.secretEnv} ${problem}; it must be a Standard Webhooks secret: ${webhookSecretFormat}`,
        ]
      : [];
  });
  if (problems.length > 0) throw new DirectoryError(problems.join('\n'));
  return {
    webhook: (agencyId) => {
      const webhook = directory.agencies.get(agencyId)?.delivery?.webhook;
      const secret = webhook ? env[webhook.secretEnv] : undefined;
      return webhook && secret ? { url: webhook.url, secret } : undefined;
    },
    email: (agencyId) => directory.agencies.get(agencyId)?.delivery?.email,
    language: (agencyId) => {
      const agency = directory.agencies.get(agencyId);
      return agency?.delivery?.language ?? 'en';
    },
  };
}
