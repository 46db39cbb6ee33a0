import type {
  ConversationDeps,
  ConversationOutput,
  ConversationState,
  EmergencyContactView,
} from './conversation-types.js';

/**
 * The emergency numbers for a person in danger, as one message that is never
 * empty. Before they say where they are: those of the country their channel
 * suggests and of the countries whose agencies speak their language; once
 * they said it, that country's (and their own country's consular line). The
 * message always ends with how to reach the hotline, and, when no country is
 * known, with the fact that staff decide who can help.
 */
export function dangerContacts(state: ConversationState, deps: ConversationDeps): ConversationOutput {
  const victim = state.draft.victim;
  const known = victim?.currentCountry;
  const lists = known
    ? [deps.emergencyContacts(known, victim?.nationality, state.language)]
    : [
        ...(state.suggestedCountry
          ? [deps.emergencyContacts(state.suggestedCountry, victim?.nationality, state.language)]
          : []),
        deps.emergencyContacts(undefined, victim?.nationality, state.language),
      ];
  const seen = new Set<string>();
  const contacts: EmergencyContactView[] = [];
  for (const contact of lists.flat()) {
    const identity = `${contact.agency}|${contact.phone ?? contact.url ?? ''}`;
    if (seen.has(identity) || !(contact.phone ?? contact.url)) continue;
    seen.add(identity);
    contacts.push(contact);
  }
  const forThem = state.inDanger === 'someoneElse';
  const key = contacts.length === 0 ? 'noEmergencyNumbers' : forThem ? 'emergencyNumbersThem' : 'emergencyNumbers';
  return {
    type: 'contacts',
    key,
    contacts,
    afterKeys: [...(known ? [] : ['staffDecide']), 'hotlineReach'],
  };
}
