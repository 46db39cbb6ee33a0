/**
 * The national anti-scam centres of the alliance's countries whose job is to have mule accounts frozen fast, and
 * how the hotline reaches them: a telephone line to call now, or a web form. A freeze request for an account held
 * in one of these countries shows staff its channel when the deployment has no fraud desk of its own for the bank
 * (a deployment's `fraudDesks` win: they are what it agreed with the bank). None publishes an e-mail address for
 * freeze requests, so these are called or filled in by staff, who record it (record-freeze-request.ts). Every fact
 * names the public page it was taken from; the deploying organization confirms them before going live, as it does
 * the agency directory (intake/routing/README.md). Not found with a source, and so not shipped: Cambodia, Laos,
 * Myanmar, Brunei, Vietnam, China, Japan, Qatar, the UAE and the US.
 */
export interface NationalFreezeChannel {
  id: string;
  /** The country whose accounts it has frozen (ISO 3166-1 alpha-2). */
  country: string;
  name: { en: string; local?: string };
  /** The line to call, as dialled in that country. */
  phone?: string;
  /** Only where its source says the line answers round the clock. */
  allHours?: boolean;
  /** Its web form, where a freeze is asked for in writing. */
  form?: string;
  /** What staff must know before they call or write (`staff` namespace). */
  noteKey?: string;
  /** The public pages each fact above was taken from. */
  sources: string[];
}

export const nationalFreezeChannels: readonly NationalFreezeChannel[] = [
  {
    id: 'th-aoc-1441',
    country: 'TH',
    name: { en: 'Anti Online Scam Operation Center (AOC 1441)', local: 'ศูนย์ AOC 1441' },
    phone: '1441',
    allHours: true,
    sources: [
      // "the centre's 24-hour hotline number for the public is 1441"; its roles include "supporting the immediate
      // suspension of affected bank accounts as requested by victims".
      'https://en.vietnamplus.vn/thailand-establishes-antionline-scam-centre/270678.vnp',
      // Mule accounts frozen "within one hour after receiving each call".
      'https://nationthailand.com/thailand/general/40032655',
    ],
  },
  {
    id: 'my-nsrc-997',
    country: 'MY',
    name: { en: 'National Scam Response Centre (NSRC 997)', local: 'Pusat Respons Scam Kebangsaan (NSRC)' },
    phone: '997',
    allHours: true,
    sources: [
      // "The faster the victim calls 997, the faster Bank Negara Malaysia can block the stolen funds"; the NSRC "now
      // operates 24 hours a day, seven days a week" (March 2026).
      'https://www.malaymail.com/news/malaysia/2026/03/03/call-997-right-away-if-you-suspect-a-scam-fahmi-tells-malaysians/211156',
      // "It initially operated from 8 am to 8 pm … but has run around the clock since its relocation to MCMC Tower 2 on
      // Nov 17 last year"; "the main coordination hub to expedite the tracing and freezing of funds" (March 2026).
      'https://www.bernama.com/en/news.php?id=2529896',
    ],
  },
  {
    id: 'sg-scamshield-1799',
    country: 'SG',
    name: { en: 'ScamShield Helpline 1799 (Singapore Police Force, NCPC)' },
    phone: '1799',
    allHours: true,
    form: 'https://eservices1.police.gov.sg/phub/eservices/landingpage/police-report',
    noteKey: 'mules.channel.note.scamShield',
    sources: [
      // Available 24/7; directs scam victims to seven banks (DBS/POSB, UOB, OCBC, Citibank, Maybank, Standard
      // Chartered, HSBC); cannot make a police report, which is made online at the form above.
      'https://scamshield.gov.sg/scamshield-helpline',
      // "can channel callers to the seven major banks … if people suspect they have been scammed and want to freeze".
      'https://www.channelnewsasia.com/singapore/scamshield-suite-24-hour-hotline-app-4643111',
    ],
  },
  {
    id: 'id-iasc',
    country: 'ID',
    name: { en: 'Indonesia Anti-Scam Centre (IASC, OJK)', local: 'Pusat Penanganan Penipuan Transaksi Keuangan' },
    form: 'https://iasc.ojk.go.id',
    noteKey: 'mules.channel.note.iasc',
    sources: [
      // "Lapor ke IASC … untuk jalur penanganan finansial (upaya pemblokiran rekening)"; a report for someone else
      // needs the victim's Surat Kuasa and identity document.
      'https://iasc.ojk.go.id/Guest',
    ],
  },
  {
    id: 'ph-cicc-1326',
    country: 'PH',
    name: { en: 'Inter-Agency Response Center hotline 1326 (CICC)' },
    phone: '1326',
    allHours: true,
    sources: [
      // "The IARC hotline 1326 is toll-free and operates round-the-clock".
      'https://panaynews.net/report-scams-to-1326-hotline-instead-of-ranting-on-social-media-cicc',
      // Calling it lets the CICC coordinate "with banks or e-wallet providers (e.g., GCash, Maya) to flag or freeze
      // suspicious accounts".
      'https://www.respicio.ph/commentaries/how-to-report-online-scams-to-the-cybercrime-investigation-and-coordinating-center',
    ],
  },
  {
    id: 'kr-payment-suspension',
    country: 'KR',
    name: { en: 'Payment suspension (지급정지) through the police, 112', local: '경찰청 112 지급정지' },
    phone: '112',
    noteKey: 'mules.channel.note.korea',
    sources: [
      // The FSS's advice as banks publish it: call the receiving or sending bank's call centre at once and ask for
      // payment suspension; 112 (police) and 1332 (FSS) connect you too.
      'https://www.idblife.com/support/protect/fraud_tips',
      'https://m.pepperbank.kr/consumer-finance-fraud/view.pepper?blcSn=2263&page=4&rowNum=33',
    ],
  },
];

/** The channel for accounts of `country`, if one is shipped. */
export function freezeChannelFor(country: string | null): NationalFreezeChannel | undefined {
  return country ? nationalFreezeChannels.find((channel) => channel.country === country) : undefined;
}

export function freezeChannelById(id: string | null): NationalFreezeChannel | undefined {
  return id ? nationalFreezeChannels.find((channel) => channel.id === id) : undefined;
}
