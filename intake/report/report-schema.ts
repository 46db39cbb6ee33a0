import { z } from 'zod';
import { languageCodes } from '../i18n/languages.js';
import { hasForbiddenCharacters } from './clean-text.js';
import { recruiterLeadSchema } from '../recruiters/recruiter-lead.js';

/**
 * The report model: the one schema every channel fills (bots, web form, web
 * chat, partner API, staff). Everything a reporter may skip is optional; the
 * only required answer is consent to share with law enforcement, because
 * routing depends on it.
 *
 * Objects are strict: an unknown field is a mistake by the sender (usually a
 * typo in a partner integration) and is reported back rather than silently
 * dropped.
 */

export const channels = ['telegram', 'line', 'web', 'webchat', 'api', 'staff'] as const;
export type Channel = (typeof channels)[number];

export const reporterRoles = ['victim', 'family_or_friend', 'witness', 'staff_on_behalf'] as const;
export type ReporterRole = (typeof reporterRoles)[number];

export const incidentCategories = [
  'voice_phishing', // impersonation of police, bank or government
  'investment_crypto',
  'romance',
  'fake_job_compound', // fake job offer / recruitment into a scam compound
  'money_mule',
  'sextortion',
  'loan_shopping',
  'other',
] as const;
export type IncidentCategory = (typeof incidentCategories)[number];

export const paymentMethods = [
  'bank_transfer',
  'card',
  'e_wallet',
  'crypto',
  'crypto_atm',
  'gift_card',
  'cash',
] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const ageBands = ['under_18', '18_24', '25_34', '35_49', '50_64', '65_plus'] as const;
export type AgeBand = (typeof ageBands)[number];

export const reportStatuses = ['new', 'triaging', 'referred', 'with_agency', 'closed', 'duplicate'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** Text as stored: nothing that breaks an export, a JSON reader or how the console displays it. */
const cleanText = z.string().refine((text) => !hasForbiddenCharacters(text), {
  message: 'Contains a control character, a bidirectional override or an unpaired surrogate; remove it and send again',
  params: { code: 'invalid_characters' },
});
const shortText = cleanText.trim().min(1).max(500);
const longText = cleanText.trim().min(1).max(20_000);
const list = <T extends z.ZodType>(item: T, max = 50) => z.array(item).max(max).default([]);

/** ISO 3166-1 alpha-2, accepted in any case and stored upper case. */
export const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'Expected a two-letter ISO 3166-1 country code, e.g. KH')
  .transform((code) => code.toUpperCase());

/**
 * ISO 4217 (USD, KRW, THB) or a crypto asset, optionally with its network
 * (BTC, ETH, USDT-TRC20, USDC-ERC20).
 */
export const currencyCode = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9]{2,10}(-[A-Za-z0-9]{2,12})?$/,
    'Expected an ISO 4217 currency code (USD) or a crypto asset (USDT-TRC20)',
  )
  .transform((code) => code.toUpperCase());

const isoDate = z.iso.date();

export const coordinatesSchema = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

export const consentSchema = z.strictObject({
  shareWithLawEnforcement: z.boolean(),
  contactBack: z.boolean().default(false),
});

/** The person reporting, when they are not (only) the victim. Personal: encrypted at rest. */
export const reporterSchema = z.strictObject({
  name: shortText.optional(),
  contact: shortText.optional(),
  phone: shortText.optional(),
});

export const safetySchema = z.strictObject({
  inImmediateDanger: z.boolean().optional(),
  heldAgainstWill: z.boolean().optional(),
  minorInvolved: z.boolean().optional(),
  passportWithheld: z.boolean().optional(),
  safeContactMethod: shortText.optional(),
  safeContactTime: shortText.optional(),
});

export const victimSchema = z.strictObject({
  nameOrAlias: shortText.optional(),
  ageBand: z.enum(ageBands).optional(),
  nationality: countryCode.optional(),
  residenceCountry: countryCode.optional(),
  currentCountry: countryCode.optional(),
  currentPlace: shortText.optional(),
  coordinates: coordinatesSchema.optional(),
  languagesSpoken: list(shortText, 20),
});

export const incidentSchema = z.strictObject({
  category: z.enum(incidentCategories).optional(),
  firstContactDate: isoDate.optional(),
  firstContactPlatform: shortText.optional(),
  ongoing: z.boolean().optional(),
  narrative: longText.optional(),
});

export const paymentSchema = z.strictObject({
  date: isoDate.optional(),
  amount: z.number().positive().finite(),
  currency: currencyCode,
  method: z.enum(paymentMethods).optional(),
  fromInstitution: shortText.optional(),
  toAccount: shortText.optional(),
  transactionHash: shortText.optional(),
});

export const lossesSchema = z.strictObject({
  payments: list(paymentSchema, 200),
  freezeRequested: z.boolean().optional(),
  bankCaseNumber: shortText.optional(),
});

export const compoundSchema = z.strictObject({
  name: shortText.optional(),
  place: shortText.optional(),
  country: countryCode.optional(),
});

export const suspectsSchema = z.strictObject({
  names: list(shortText),
  phones: list(shortText),
  messengerHandles: list(shortText),
  emails: list(shortText),
  websites: list(shortText),
  socialProfiles: list(shortText),
  bankAccounts: list(shortText),
  wallets: list(shortText),
  /** Whom a forwarded message or a shared contact card came from (recruiter-lead.ts): linked by account id. */
  forwardedFrom: list(recruiterLeadSchema),
  compound: compoundSchema.optional(),
});

export const traffickingSchema = z.strictObject({
  promisedJob: shortText.optional(),
  promisedSalary: shortText.optional(),
  destination: shortText.optional(),
  route: shortText.optional(),
  debtOrRansomDemanded: shortText.optional(),
  othersHeldCount: z.number().int().min(0).max(100_000).optional(),
  othersHeldNationalities: list(countryCode, 50),
  embassyContacted: z.boolean().optional(),
});

/**
 * The forced-labour indicators the trafficking screening asks a person held
 * or recruited abroad about (after the ILO's indicators of forced labour);
 * `intake/report/trafficking-screening.ts` weighs them.
 */
export const screeningIndicators = [
  'documents_taken',
  'debt_to_employer',
  'not_free_to_leave',
  'forced_to_scam',
  'threats_or_violence',
  'wages_withheld',
] as const;
export type ScreeningIndicator = (typeof screeningIndicators)[number];

/**
 * The screening's answers: the indicators the person said apply. Absent when
 * the screening was never asked; `skipped` when it was asked and the person
 * chose to go on without answering (it is not asked again).
 */
export const screeningSchema = z.strictObject({
  indicators: list(z.enum(screeningIndicators), screeningIndicators.length),
  skipped: z.boolean().optional(),
});

/**
 * A file the server itself received and stored (by a channel, the form, or
 * `POST /api/v1/evidence`), named by its SHA-256. No sender names a path: the
 * file is found by its hash under the evidence folder, and a report that
 * names a file the server does not hold is refused.
 */
export const evidenceSchema = z.strictObject({
  fileName: shortText,
  mediaType: z
    .string()
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'Expected a media type such as image/jpeg'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Expected a lower-case hex SHA-256 digest'),
});

export const earlierReportSchema = z.strictObject({
  agency: shortText,
  referenceNumber: shortText,
});

/** What a channel submits. Defaults fill every skipped section. */
export const reportInputSchema = z.strictObject({
  channel: z.enum(channels).default('api'),
  language: z.enum(languageCodes).default('en'),
  reporterRole: z.enum(reporterRoles).optional(),
  consent: consentSchema,
  reporter: reporterSchema.default({}),
  safety: safetySchema.default({}),
  victim: victimSchema.default({ languagesSpoken: [] }),
  incident: incidentSchema.default({}),
  losses: lossesSchema.default({ payments: [] }),
  suspects: suspectsSchema.default({
    names: [],
    phones: [],
    messengerHandles: [],
    emails: [],
    websites: [],
    socialProfiles: [],
    bankAccounts: [],
    wallets: [],
    forwardedFrom: [],
  }),
  trafficking: traffickingSchema.default({ othersHeldNationalities: [] }),
  screening: screeningSchema.optional(),
  evidence: list(evidenceSchema, 100),
  earlierReports: list(earlierReportSchema, 20),
});

/** What a sender may write (sections optional). */
export type ReportInput = z.input<typeof reportInputSchema>;
/** What the intake works with once validated (every section present). */
export type ReportContent = z.output<typeof reportInputSchema>;

/** A stored report: its content plus the envelope the store gives it. */
export interface Report extends ReportContent {
  id: string;
  reference: string;
  status: ReportStatus;
  urgent: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Danger decides urgency: someone in danger now or held is handled first. */
export function isUrgent(content: Pick<ReportContent, 'safety'>): boolean {
  return content.safety.inImmediateDanger === true || content.safety.heldAgainstWill === true;
}
