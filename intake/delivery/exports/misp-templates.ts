/**
 * The MISP object templates (MISP/misp-objects, `objects/<name>/definition.json`)
 * Reportline's MISP export writes, with the relations it uses. Name, uuid,
 * version and meta-category are the template's own; each relation's type is
 * the template's `misp-attribute`, and its category is the first of the
 * template's `categories` or, where the template names none, the type's
 * default category in MISP's describeTypes (as PyMISP and MISP itself pick
 * it). The copies these figures were read from are in
 * `test/fixtures/misp-objects/` with their source commits, and the test
 * there checks every object the export writes against them.
 */

export interface MispTemplateRelation {
  /** The template's `misp-attribute`. */
  type: string;
  category: string;
  /** The template's `disable_correlation`, where it sets it to true. */
  disableCorrelation?: true;
}

export interface MispTemplate {
  name: string;
  uuid: string;
  version: number;
  metaCategory: string;
  description: string;
  relations: Record<string, MispTemplateRelation>;
}

/**
 * MISP's default category for each attribute type used here, from
 * describeTypes.json `sane_defaults` (MISP/PyMISP `pymisp/data/describeTypes.json`,
 * commit f72c2d2ff9309c13598001f93642c4bf6eb03532).
 */
export const mispDefaultCategories = {
  'bank-account-nr': 'Financial fraud',
  btc: 'Financial fraud',
  datetime: 'Other',
  float: 'Other',
  iban: 'Financial fraud',
  'phone-number': 'Person',
  text: 'Other',
  url: 'Network activity',
} as const;

type DefaultType = keyof typeof mispDefaultCategories;

/** A relation whose template names no category: MISP's default for the type. */
function plain(type: DefaultType, disableCorrelation = false): MispTemplateRelation {
  return {
    type,
    category: mispDefaultCategories[type],
    ...(disableCorrelation ? { disableCorrelation: true as const } : {}),
  };
}

export const mispTemplates = {
  'phone-number': {
    name: 'phone-number',
    uuid: 'c4b5a67c-63d2-11ec-90d6-0242ac120003',
    version: 1,
    metaCategory: 'mobile',
    description: 'Phone number based on the E.164 international public telecommunication numbering plan',
    relations: {
      'phone-number': plain('phone-number'),
      text: plain('text', true),
    },
  },
  'bank-account': {
    name: 'bank-account',
    uuid: 'b4712203-95a8-4883-80e9-b566f5df11c9',
    version: 3,
    metaCategory: 'financial',
    description: 'An object describing bank account information based on account description from goAML 4.0.',
    relations: {
      account: plain('bank-account-nr'),
      iban: plain('iban'),
      'institution-name': plain('text', true),
      text: plain('text', true),
    },
  },
  'coin-address': {
    name: 'coin-address',
    uuid: 'd0e6997e-78da-4815-a6a1-cfc1c1cb8a46',
    version: 7,
    metaCategory: 'financial',
    description: 'An address used in a cryptocurrency',
    relations: {
      address: plain('btc'),
      'address-crypto': plain('text'),
      symbol: plain('text', true),
      text: plain('text', true),
    },
  },
  'cryptocurrency-transaction': {
    name: 'cryptocurrency-transaction',
    uuid: 'a4aab70f-e43a-48cb-bf82-505de8228dd6',
    version: 3,
    metaCategory: 'financial',
    description: 'An object to describe a cryptocurrency transaction.',
    relations: {
      'transaction-number': plain('text'),
      symbol: plain('text', true),
    },
  },
  url: {
    name: 'url',
    uuid: '60efb77b-40b5-4c46-871b-ed1ed999fce5',
    version: 9,
    metaCategory: 'network',
    description:
      'url object describes an url along with its normalized field (like extracted using faup parsing library) and its metadata.',
    relations: {
      url: plain('url'),
    },
  },
  'domain-ip': {
    name: 'domain-ip',
    uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
    version: 9,
    metaCategory: 'network',
    description: 'A domain/hostname and IP address seen as a tuple in a specific time frame.',
    relations: {
      domain: { type: 'domain', category: 'Network activity' },
    },
  },
  email: {
    name: 'email',
    uuid: 'a0c666e0-fc65-4be8-b48f-3423d788b552',
    version: 15,
    metaCategory: 'network',
    description: 'Email object describing an email with meta-information',
    relations: {
      from: { type: 'email-src', category: 'Payload delivery' },
    },
  },
  'telegram-account': {
    name: 'telegram-account',
    uuid: '06f02ecf-5afb-42c5-9cb0-b362e222f52c',
    version: 2,
    metaCategory: 'misc',
    description: 'Information related to a telegram account',
    relations: {
      username: plain('text'),
      // The numeric account id a forwarded message gives (intake/recruiters): stable where usernames change.
      id: plain('text'),
    },
  },
  'instant-message': {
    name: 'instant-message',
    uuid: '5fa51a24-f40f-4696-a77e-d31e26bab5fc',
    version: 3,
    metaCategory: 'misc',
    description: 'Instant Message (IM) object template describing one or more IM message.',
    relations: {
      'from-user': plain('text'),
      'from-number': plain('phone-number'),
      'app-used': plain('text', true),
    },
  },
  geolocation: {
    name: 'geolocation',
    // Sic: the template's uuid has 11 digits in its last group; MISP matches it as written.
    uuid: 'fdd30d5f-6752-45ed-bef2-25e8ce4d8a3',
    version: 5,
    metaCategory: 'misc',
    description: 'An object to describe a geographic location.',
    relations: {
      latitude: plain('float', true),
      longitude: plain('float', true),
      country: plain('text'),
      region: plain('text'),
      address: plain('text'),
      text: plain('text', true),
    },
  },
  person: {
    name: 'person',
    uuid: 'a15b0477-e9d1-4b9c-9546-abe78a4f4248',
    version: 19,
    metaCategory: 'misc',
    description: 'An object which describes a person or an identity.',
    relations: {
      alias: plain('text'),
      role: plain('text', true),
      text: plain('text', true),
    },
  },
  'monetary-impact': {
    name: 'monetary-impact',
    uuid: '3376296c-c1ef-4847-979f-2bfc49aa983e',
    version: 1,
    metaCategory: 'misc',
    description: 'Monetary Impact object as described in STIX 2.1 Incident object extension.',
    relations: {
      variety: plain('text', true),
      min_amount: plain('float', true),
      max_amount: plain('float', true),
      currency: plain('text', true),
      start_time: plain('datetime'),
      start_time_fidelity: plain('text', true),
      description: plain('text'),
    },
  },
} as const satisfies Record<string, MispTemplate>;

export type MispTemplateName = keyof typeof mispTemplates;
export type MispRelation<N extends MispTemplateName> = keyof (typeof mispTemplates)[N]['relations'] & string;
