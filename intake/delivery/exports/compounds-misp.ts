import type { CompoundFile, LinkedIndicator } from '../../compounds/compound-read-models.js';
import {
  defaultMispOrg,
  draft,
  eventTags,
  indicatorDraft,
  isExported,
  render,
  type DraftObject,
  type MispExportOptions,
} from './indicators-misp.js';
import { uuidV5 } from './uuid-v5.js';

/** The namespace of compound events' UUIDs; never change it, or every compound's event gets a new identity. */
const compoundMispNamespace = '5b0d6a3e-96c1-4c3f-9d0e-0d4c2f3a7c61';

/** The MISP event of one compound: the same on every export, so a re-import updates rather than duplicates. */
export function mispEventUuidForCompound(compoundId: string): string {
  return uuidV5(compoundMispNamespace, `compound:${compoundId}`);
}

/** The compound itself as a `geolocation` object: where it is, the names it goes by, what is seen around it. */
function compoundPlaceDraft(file: CompoundFile): DraftObject {
  const { compound } = file;
  const names = compound.aliases.length > 0 ? `; also known as ${compound.aliases.join(', ')}` : '';
  const landmarks = compound.landmarks.length > 0 ? `; landmarks: ${compound.landmarks.join('; ')}` : '';
  return draft('geolocation', `compound:${compound.id}`, `Scam compound ${compound.name} (${compound.status})`, [
    ...(compound.latitude !== null && compound.longitude !== null
      ? [
          { relation: 'latitude' as const, value: String(compound.latitude) },
          { relation: 'longitude' as const, value: String(compound.longitude) },
        ]
      : []),
    // The country correlates every compound of it: noise, not a lead.
    { relation: 'country', value: compound.country, disableCorrelation: true },
    ...(compound.area ? [{ relation: 'region' as const, value: compound.area }] : []),
    { relation: 'text', value: `Scam compound: ${compound.name}${names}${landmarks}; status: ${compound.status}` },
  ]);
}

function linkedDrafts(indicators: LinkedIndicator[], what: string): DraftObject[] {
  return indicators.flatMap((indicator) =>
    isExported(indicator)
      ? [
          indicatorDraft(
            { kind: indicator.kind, value: indicator.value, validity: 'plausible' },
            `${what} in ${indicator.cases} confirmed case(s) on this compound`,
          ),
        ]
      : [],
  );
}

/**
 * A compound as one MISP event (MISP's JSON import format): the compound as
 * a `geolocation` object, then the recruiters, accounts and wallets of its
 * confirmed cases, each with how many cases name it. What the file holds is
 * what its reader may see (an agency's export counts only its own cases); no
 * reporter, no victim, no case reference: the reports behind it are the
 * agency's to look up in its inbox. Never published, every attribute
 * `to_ids: false`, as the cases' own export.
 */
export function compoundToMispEvent(file: CompoundFile, options: { now: Date } & MispExportOptions) {
  const uuid = mispEventUuidForCompound(file.compound.id);
  const drafts = [
    compoundPlaceDraft(file),
    ...linkedDrafts(file.indicators.recruiters, 'Recruiter or scammer contact named'),
    ...linkedDrafts(file.indicators.accounts, 'Bank account named'),
    ...linkedDrafts(file.indicators.wallets, 'Wallet named'),
  ];
  return {
    Event: {
      uuid,
      info: `Reportline: scam compound ${file.compound.name} (${file.compound.country}), ${file.counts.confirmed} confirmed case(s), ${file.counts.heldNow} held now`,
      date: options.now.toISOString().slice(0, 10),
      // Someone held there now is a life at risk: high.
      threat_level_id: file.counts.heldNow > 0 ? '1' : '2',
      analysis: '1',
      distribution: '0',
      published: false,
      Orgc: options.org ?? defaultMispOrg,
      Tag: eventTags(['fake_job_compound'], options),
      Attribute: [] as never[],
      Object: drafts.map((object) => ({ ...render(object, uuid, undefined), distribution: '5' })),
    },
  };
}
