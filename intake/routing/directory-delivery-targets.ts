import type { DeliveryTargets } from '../delivery/agency-delivery-sender.js';
import { DirectoryError, type AgencyDirectory } from './load-agency-directory.js';

/**
 * Where each agency receives its cases, from the deployment's directory, with
 * each webhook's HMAC secret read from the environment variable the directory
 * names. A named variable that is not set stops start-up: a webhook that can
 * never be signed would fail every delivery.
 */
export function directoryDeliveryTargets(directory: AgencyDirectory, env: Record<string, string | undefined>): DeliveryTargets {
  const missing = [...directory.agencies.values()]
    .filter((agency) => agency.delivery?.webhook && !env[agency.delivery.webhook.secretEnv])
    .map((agency) => `agencies[${agency.id}].delivery.webhook.secretEnv: the environment variable ${agency.delivery!.webhook!.secretEnv} is not set`);
  if (missing.length > 0) throw new DirectoryError(missing.join('\n'));
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
