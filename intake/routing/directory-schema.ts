import { z } from 'zod';
import { languageCodes } from '../i18n/languages.js';
import { incidentCategories } from '../report/report-schema.js';
import { fraudDeskSchema } from '../mules/fraud-desks.js';

const countryOrInternational = z.string().regex(/^([A-Z]{2}|INT)$/, 'Expected a two-letter country code or INT');

export const contactSchema = z.strictObject({
  kind: z.enum(['emergency', 'reporting', 'consular', 'information']),
  /** Key in the `routing` namespace for the label a reporter reads, e.g. `contacts.policeEmergency`. */
  labelKey: z.string().regex(/^contacts\.\w+$/),
  phone: z
    .string()
    .regex(/^[+#]?[\d-]{3,20}$/, 'Expected a phone number such as +82-2-3210-0404 or 112')
    .optional(),
  url: z.url().optional(),
  /** Where the contact was taken from, so the deploying organization can confirm it. */
  source: z.string().min(1),
});

export const agencyRoles = ['police', 'scam', 'trafficking', 'consular', 'international'] as const;
export type AgencyRole = (typeof agencyRoles)[number];

/** How an agency wants its cases, set by the deployment, never shipped in the repository. */
export const deliverySchema = z.strictObject({
  webhook: z
    .strictObject({
      url: z.url().refine((url) => /^https?:\/\//.test(url), 'Expected an http(s) URL'),
      /** The environment variable holding the HMAC secret: secrets never live in a file. */
      secretEnv: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/, 'Expected the name of an environment variable, e.g. KNPA_WEBHOOK_SECRET'),
    })
    .optional(),
  email: z.strictObject({ to: z.array(z.email()).min(1) }).optional(),
  /** The language of the e-mails this agency receives. */
  language: z.string().min(2).max(3).optional(),
});

export const agencySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'Expected a lower-case id such as kr-knpa'),
  country: countryOrInternational,
  name: z.strictObject({
    en: z.string().min(1),
    local: z.string().min(1).optional(),
    localLanguage: z.string().min(2).optional(),
    /**
     * The agency's name for readers of other project languages: its official
     * name in that language, or a plain description of it, never a guess.
     */
    translations: z.partialRecord(z.enum(languageCodes), z.string().trim().min(1)).optional(),
  }),
  roles: z.array(z.enum(agencyRoles)).min(1),
  handles: z.array(z.enum(['fraud', 'cybercrime', 'trafficking', 'consular'])).min(1),
  scope: z.enum(['national', 'consular', 'international']),
  /** For a consular service: the nationality it helps abroad. */
  consularFor: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  contacts: z.array(contactSchema),
  delivery: deliverySchema.optional(),
  /** Minutes this agency has to accept an urgent case before it is offered to the next (a deployment's setting). */
  urgentAcceptMinutes: z.number().int().min(1).max(1440).optional(),
});

export type Agency = z.output<typeof agencySchema>;
export type AgencyContact = z.output<typeof contactSchema>;

export const shippedDirectorySchema = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  agencies: z.array(agencySchema),
});

/**
 * A deployment's own rule: when a report matches, copy an agency in, for a
 * reason written out per language (English required).
 */
export const deploymentRuleSchema = z.strictObject({
  when: z.strictObject({
    categories: z.array(z.enum(incidentCategories)).optional(),
    currentCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    nationality: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    residenceCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    compoundCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    urgent: z.boolean().optional(),
  }),
  copy: z.string(),
  reason: z
    .record(z.string(), z.string().min(1))
    .refine((reasons) => typeof reasons.en === 'string', 'Needs at least an English reason (en)'),
});

export type DeploymentRule = z.output<typeof deploymentRuleSchema>;

/** The deployment file: agencies to add or to change (by id), and extra rules. */
export const deploymentFileSchema = z.strictObject({
  agencies: z.array(agencySchema.partial().required({ id: true })).default([]),
  rules: z.array(deploymentRuleSchema).default([]),
  /** Banks' fraud desks, for freeze requests (intake/mules/fraud-desks.ts). */
  fraudDesks: z.array(fraudDeskSchema).default([]),
});
