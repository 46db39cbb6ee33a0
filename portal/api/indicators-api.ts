import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import { indicatorKinds } from '../../intake/indicators/indicator.js';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';
import type { IndicatorLinks } from '../../intake/store/indicator-links.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface IndicatorsApiDependencies {
  links: IndicatorLinks;
  authenticate: Authenticate;
  i18n: i18n;
}

/** `GET /indicators/:kind/:value`: the kind, and the value as a person would write it. */
export const indicatorParamsSchema = z.object({
  kind: z.enum(indicatorKinds).meta({ description: 'What the value is.' }),
  value: z.string().meta({
    description: 'The value, written any way (URL-encoded): it is normalized as reports are, e.g. `+855 12 345 678`.',
  }),
});

/** The country a phone number written without its country code is read in. */
export const indicatorQuerySchema = z.object({
  country: z.string().optional().meta({
    description:
      'ISO 3166-1 alpha-2 (any case): the country of a phone number written without its country code, e.g. `KH`.',
  }),
});

/**
 * `GET /indicators/:kind/:value`: every report carrying an indicator, for an
 * analyst following one wallet or number across reports. The value may be
 * written any way a person would (`+855 12 345 678`, `012 345 678?country=KH`);
 * it is normalized exactly as reports are.
 */
export function createIndicatorsApi({ links, authenticate, i18n }: IndicatorsApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.get('/indicators/:kind/:value', requireToken(authenticate, i18n, ['admin']), async (c) => {
    const params = indicatorParamsSchema.safeParse(c.req.param());
    if (!params.success) {
      return apiError(c, i18n, 400, 'invalid_indicator', [
        { path: 'kind', code: 'invalid_value', message: `expected one of: ${indicatorKinds.join(', ')}` },
      ]);
    }
    const { kind, value } = params.data;
    const country = indicatorQuerySchema.parse(c.req.query()).country?.toUpperCase();
    const indicator = normalizeIndicator(kind, value, country ? { defaultCountry: country } : {});
    if (!indicator) {
      return apiError(c, i18n, 400, 'invalid_indicator', [
        { path: 'value', code: 'invalid_value', message: `not a recognisable ${kind}` },
      ]);
    }
    const reports = await links.reportsCarrying(indicator.kind, indicator.value);
    return c.json({
      indicator: { kind: indicator.kind, value: indicator.value, validity: indicator.validity },
      linksReports: links.links(indicator),
      reports,
    });
  });

  return api;
}
