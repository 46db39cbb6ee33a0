import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { i18n } from 'i18next';
import { z } from 'zod';
import type { Checks } from '../../intake/check/check-types.js';
import { indicatorKinds } from '../../intake/indicators/indicator.js';
import { checkAdviceOrder as checkAdvice } from '../../intake/conversation/check-mode.js';
import { tokenRoles } from '../../intake/store/api-tokens.js';
import { visitorLanguage } from '../http/request-language.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface ChecksApiDependencies {
  /** `intake.checks`: it applies its own rate limits (per token and per channel). */
  checks: Pick<Checks, 'check'>;
  authenticate: Authenticate;
  i18n: i18n;
}

/** A check is a few values, never a document: the body is refused past this before it is read. */
export const maxCheckBodyBytes = 16 * 1024;

/** `POST /checks`: what to check, as a person would write it, and where a local number is read. */
export const checkRequestSchema = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1)
    .max(1_000)
    .meta({
      description:
        'Anything written or pasted: a local number, a wallet with spaces, a defanged link. At most three values are answered, in the order written.',
      examples: ['ติดต่อ 081 234 5678 หรือ hxxps://job-offer[.]example'],
    }),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional()
    .meta({ description: 'ISO 3166-1 alpha-2: the country a number written without its country code is read in.' }),
});

export const checkAnswerSchema = z.object({
  result: z.enum(['checked', 'nothing_recognised']).meta({
    description: '`nothing_recognised`: no phone, wallet, account, site or handle in the text.',
  }),
  indicators: z
    .array(
      z.object({
        kind: z.enum(indicatorKinds),
        value: z.string().meta({ description: 'Normalized: what was checked.' }),
        verdict: z.enum(['warning', 'no_warning']).meta({
          description:
            '`warning` only when several distinct reporters and a staff confirmation stand behind it. `no_warning` does not mean safe; it never says whether a report exists.',
        }),
        advice: z.array(z.enum(checkAdvice)).meta({ description: "Keys of the category's advice." }),
      }),
    )
    .meta({ description: 'Empty when nothing was recognised.' }),
  advice: z
    .partialRecord(z.enum(checkAdvice), z.string())
    .optional()
    .meta({ description: 'With Accept-Language: each advice key of the answer, in that language.' }),
  language: z.string().optional().meta({ description: 'The language of `advice`.' }),
});

/**
 * `POST /api/v1/checks`: the value check for partners and agencies (a bank checking a payee, a messaging app a
 * link), with any valid token. It answers verdicts and advice keys only; with Accept-Language, the advice in words.
 * Never how many reports, nor whether one exists.
 */
export function createChecksApi({ checks, authenticate, i18n }: ChecksApiDependencies) {
  const api = new Hono<{ Variables: PrincipalVariables }>();

  api.post(
    '/checks',
    requireToken(authenticate, i18n, tokenRoles),
    bodyLimit({ maxSize: maxCheckBodyBytes, onError: (c) => apiError(c, i18n, 413, 'check_too_large') }),
    async (c) => {
      if (!/^application\/(.+\+)?json\b/i.test(c.req.header('content-type') ?? ''))
        return apiError(c, i18n, 415, 'check_not_json');
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (error) {
        return apiError(c, i18n, 400, 'malformed_json', [
          { path: '', code: 'malformed_json', message: error instanceof Error ? error.message : 'not JSON' },
        ]);
      }
      const parsed = checkRequestSchema.safeParse(body);
      if (!parsed.success) {
        return apiError(
          c,
          i18n,
          400,
          'invalid_check',
          parsed.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            code: issue.code,
            message: issue.message,
          })),
        );
      }
      const answer = await checks.check({
        text: parsed.data.text,
        channel: 'api',
        // One client is one token: the check only hashes this for its rate limit.
        askerKey: `token:${c.get('principal').tokenId}`,
        ...(parsed.data.country ? { countryHint: parsed.data.country.toUpperCase() } : {}),
      });
      if (answer.kind === 'rate_limited') {
        c.header('Retry-After', String(answer.retryAfterSeconds));
        return apiError(c, i18n, 429, 'check_rate_limited');
      }
      c.header('Cache-Control', 'no-store');
      const indicators =
        answer.kind === 'checked'
          ? answer.indicators.map((indicator) => ({
              kind: indicator.kind,
              value: indicator.shown,
              verdict: indicator.verdict,
              advice: indicator.advice,
            }))
          : [];
      if (!c.req.header('accept-language')) return c.json({ result: answer.kind, indicators });
      const language = visitorLanguage(c);
      const t = i18n.getFixedT(language, 'messages');
      const keys = checkAdvice.filter((key) => indicators.some((indicator) => indicator.advice.includes(key)));
      const advice = Object.fromEntries(keys.map((key) => [key, t(`check.advice.${key}`)]));
      return c.json({ result: answer.kind, indicators, advice, language });
    },
  );

  return api;
}
