import { incidentCategories, type IncidentCategory } from '../../report/report-schema.js';

/**
 * What each Reportline incident category is called in the vocabularies a
 * police CERT's tools already know, in one table for every export (MISP,
 * STIX, CSV): MISP galaxy clusters (attck4fraud, MITRE Fight Fraud Framework),
 * the CIRCL incident classification (MISP taxonomy `circl`), and Chainabuse's
 * scam category. Cluster values and uuids are copied from MISP/misp-galaxy
 * `clusters/attck4fraud.json` (version 6, commit d202ed9f3fdb041d84577ba981bb10b73313786f)
 * and `clusters/mitre-fraud-framework.json` (version 3, commit 66596f59231d7d3f3b1064cc409d325670746b5b);
 * the CIRCL values from MISP/misp-taxonomies `circl/machinetag.json` (version 6,
 * commit 9b96c7f4934b59fce03eb886105f283cb84662ec); Chainabuse's categories from
 * the `scamCategory` enum of its public reports API. See README.md beside this
 * file for the table and the reasons.
 */

/** A MISP galaxy cluster: the galaxy's `type` (used in the tag) and the cluster's value and uuid. */
export interface GalaxyCluster {
  galaxy: 'financial-fraud' | 'mitre-fraud-framework';
  value: string;
  uuid: string;
}

/** Chainabuse's `scamCategory` values (its reports API); it has no job-scam category. */
export const chainabuseCategories = [
  'RUG_PULL',
  'UKRANIAN_DONATION_SCAM',
  'DONATION_SCAM',
  'SEXTORTION',
  'SIM_SWAP',
  'PHISHING',
  'RANSOMWARE',
  'CONTRACT_EXPLOIT',
  'AIRDROP',
  'ROMANCE',
  'PIGBUTCHERING',
  'OTHER',
  'FAKE_PROJECT',
  'OTHER_BLACKMAIL',
  'IMPERSONATION',
  'FAKE_RETURNS',
  'UPGRADE_SCAM',
  'MAN_IN_THE_MIDDLE_ATTACK',
  'OTHER_HACK',
  'OTHER_INVESTMENT_SCAM',
] as const;
export type ChainabuseCategory = (typeof chainabuseCategories)[number];

/** The `incident-classification` values of MISP's `circl` taxonomy that Reportline uses. */
export type CirclIncidentClassification = 'phishing' | 'scam' | 'sextortion';

export interface ScamCategoryMapping {
  category: IncidentCategory;
  /** In English, for an analyst reading a MISP event or a spreadsheet. */
  label: string;
  attck4fraud: GalaxyCluster[];
  /** MITRE Fight Fraud Framework (F3) techniques, only where one plainly describes the scheme. */
  mitreFraudFramework: GalaxyCluster[];
  chainabuse: ChainabuseCategory;
  circlIncidentClassification: CirclIncidentClassification;
}

const attck4fraud = (value: string, uuid: string): GalaxyCluster => ({ galaxy: 'financial-fraud', value, uuid });
const f3 = (value: string, uuid: string): GalaxyCluster => ({ galaxy: 'mitre-fraud-framework', value, uuid });

const vishing = attck4fraud('Vishing', '308fb88c-412a-4468-91ed-468d07fe4170');
const investmentFraud = attck4fraud('Investment Fraud', '92f5f46f-c506-45de-9a7f-f1128e40d47c');
const virtualCurrencyFraud = attck4fraud('Virtual Currency Fraud', '69273dd2-cc8d-5a83-9544-1b6f6a8f8a53');
const romanceScam = attck4fraud('Romance Scam', '8ac64815-52c0-4d14-a4e4-4a19b2a6057d');
const scam = attck4fraud('Scam', '0c8b8a09-9caa-49f6-8f96-9302e516373e');
const moneyMules = attck4fraud('Money Mules', 'f1243265-d50a-42fb-a83c-4696f95636e9');
const extortion = attck4fraud('Extortion', 'e376947a-2e73-5c81-b8d5-7ac8a3ecc7a1');

const impersonateOfficial = f3('Impersonate Official - F1032', 'a2a8496e-9796-581d-b26a-1946d1d37907');
const establishAccounts = f3('Establish Accounts - T1585', '471e1855-a6d3-59fc-ab34-273dcebb0593');
const createFakeMaterials = f3('Create Fake Materials - F1020', '9fc87026-b37e-5e9c-83af-de32122e82e9');

/** The table, one row per Reportline category. */
export const scamTaxonomy: Readonly<Record<IncidentCategory, ScamCategoryMapping>> = {
  voice_phishing: {
    category: 'voice_phishing',
    label: 'Voice phishing: impersonation of police, a bank or a government',
    attck4fraud: [vishing],
    mitreFraudFramework: [impersonateOfficial],
    chainabuse: 'IMPERSONATION',
    circlIncidentClassification: 'phishing',
  },
  investment_crypto: {
    category: 'investment_crypto',
    label: 'Investment or cryptocurrency scam',
    attck4fraud: [investmentFraud, virtualCurrencyFraud],
    mitreFraudFramework: [establishAccounts],
    chainabuse: 'OTHER_INVESTMENT_SCAM',
    circlIncidentClassification: 'scam',
  },
  romance: {
    category: 'romance',
    label: 'Romance scam',
    attck4fraud: [romanceScam],
    mitreFraudFramework: [establishAccounts],
    chainabuse: 'ROMANCE',
    circlIncidentClassification: 'scam',
  },
  fake_job_compound: {
    category: 'fake_job_compound',
    label: 'Fake job offer or recruitment into a scam compound',
    attck4fraud: [scam],
    mitreFraudFramework: [createFakeMaterials],
    chainabuse: 'OTHER',
    circlIncidentClassification: 'scam',
  },
  money_mule: {
    category: 'money_mule',
    label: 'Money-mule recruitment',
    attck4fraud: [moneyMules],
    mitreFraudFramework: [],
    chainabuse: 'OTHER',
    circlIncidentClassification: 'scam',
  },
  sextortion: {
    category: 'sextortion',
    label: 'Sextortion',
    attck4fraud: [extortion],
    mitreFraudFramework: [],
    chainabuse: 'SEXTORTION',
    circlIncidentClassification: 'sextortion',
  },
  loan_shopping: {
    category: 'loan_shopping',
    label: 'Loan or online shopping scam',
    attck4fraud: [scam],
    mitreFraudFramework: [],
    chainabuse: 'OTHER',
    circlIncidentClassification: 'scam',
  },
  other: {
    category: 'other',
    label: 'Other scam',
    attck4fraud: [scam],
    mitreFraudFramework: [],
    chainabuse: 'OTHER',
    circlIncidentClassification: 'scam',
  },
};

/** The row for a case's category; a report that named none is filed as `other`. */
export function scamCategoryMapping(category: string | null | undefined): ScamCategoryMapping {
  return (incidentCategories as readonly string[]).includes(category ?? '')
    ? scamTaxonomy[category as IncidentCategory]
    : scamTaxonomy.other;
}

/** A galaxy cluster as MISP writes it as a tag: `misp-galaxy:<type>="<value>"`. */
export function galaxyTagName(cluster: GalaxyCluster): string {
  return `misp-galaxy:${cluster.galaxy}="${cluster.value}"`;
}

/** The CIRCL incident classification as a MISP machine tag. */
export function circlTagName(classification: CirclIncidentClassification): string {
  return `circl:incident-classification="${classification}"`;
}
