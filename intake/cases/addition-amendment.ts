import { extractIndicators } from '../indicators/extract-indicators.js';
import { collectReportIndicators, fromField } from '../indicators/collect-report-indicators.js';
import type { Indicator, IndicatorKind } from '../indicators/indicator.js';
import type { ReportAmendmentInput } from '../report/report-amendment.js';
import type { ReportContent } from '../report/report-schema.js';

type SuspectList = 'phones' | 'wallets' | 'emails' | 'websites' | 'messengerHandles' | 'bankAccounts';

/** The suspects' list each kind found in free text belongs in. Amounts and transaction hashes have none. */
const listOf: Partial<Record<IndicatorKind, SuspectList>> = {
  phone: 'phones',
  crypto_address: 'wallets',
  email: 'emails',
  url: 'websites',
  domain: 'websites',
  telegram: 'messengerHandles',
  line: 'messengerHandles',
  whatsapp: 'messengerHandles',
  iban: 'bankAccounts',
  bank_account: 'bankAccounts',
};

/** A suspects' list holds at most this many values (the report schema's limit). */
const listLimit = 50;

const identity = (indicator: Pick<Indicator, 'kind' | 'value'>) => `${indicator.kind}:${indicator.value}`;

/**
 * What a reporter's added text says in the report's own fields: each phone,
 * wallet, e-mail, site, handle and account it mentions, read with the
 * country the report knows by then, joins the suspects' list it belongs in,
 * so the report indexes, links, routes and shows it like one given at
 * first. The text itself is kept whole as the reporter's addition; only
 * what it mentions is copied here. A value is written the way the report
 * reads back as the same indicator (a local number in its international
 * form); one the report already carries, or the reporter's own number, is
 * not repeated; a full list takes no more.
 */
export function additionAmendment(text: string, content: ReportContent): ReportAmendmentInput {
  const { victim } = content;
  const defaultCountry = victim.currentCountry ?? victim.residenceCountry ?? victim.nationality;
  const found = extractIndicators(text, { source: 'addition', ...(defaultCountry ? { defaultCountry } : {}) });
  const known = new Set(collectReportIndicators(content).map(identity));
  const own = content.reporter.phone ? fromField('phones', content.reporter.phone, 'reporter', defaultCountry) : [];
  for (const indicator of own) known.add(identity(indicator));

  const added: Partial<Record<SuspectList, string[]>> = {};
  for (const indicator of found) {
    const list = listOf[indicator.kind];
    if (!list || known.has(identity(indicator))) continue;
    const room = listLimit - content.suspects[list].length - (added[list]?.length ?? 0);
    if (room <= 0) continue;
    const written = asTheReportReadsIt(list, indicator, defaultCountry);
    if (!written) continue;
    for (const reread of fromField(list, written, list, defaultCountry)) known.add(identity(reread));
    (added[list] ??= []).push(written);
  }
  return Object.keys(added).length > 0 ? { suspects: added } : {};
}

/** The form of a value its field reads back as the same indicator: as typed, or normalized; none when neither does. */
function asTheReportReadsIt(list: SuspectList, indicator: Indicator, defaultCountry: string | undefined) {
  // A phone number in its international form: it no longer depends on a country the report may later correct.
  const typed = indicator.original.trim();
  const candidates = (indicator.kind === 'phone' ? [indicator.value, typed] : [typed, indicator.value]).filter(
    (value) => value.length > 0,
  );
  return candidates
    .filter((candidate) => candidate.length <= 500)
    .find((candidate) =>
      fromField(list, candidate, list, defaultCountry).some(
        (reread) => reread.kind === indicator.kind && reread.value === indicator.value,
      ),
    );
}
