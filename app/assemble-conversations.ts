import type { i18n } from 'i18next';
import { ConversationRunner } from '../intake/conversation/conversation-runner.js';
import type { EvidenceLimits } from '../intake/evidence/evidence-files.js';
import { documentTypes, imageTypes, videoTypes } from '../intake/evidence/sniff-media-type.js';
import { extractIndicators } from '../intake/indicators/extract-indicators.js';
import { describeStoredRouting } from '../intake/routing/describe-stored-routing.js';
import { emergencyContactsFor } from '../intake/routing/emergency-contacts.js';
import type { AgencyDirectory } from '../intake/routing/load-agency-directory.js';
import { ConversationStore } from '../intake/store/conversation-store.js';
import type { Intake } from './assemble-intake.js';

/**
 * The reporting conversation of every chat channel, over the intake: the
 * server, the tests and any future channel assemble it the same way, here.
 */
export function assembleConversationRunner(parts: {
  intake: Intake;
  directory: AgencyDirectory;
  i18n: i18n;
}): ConversationRunner {
  const { intake, directory, i18n } = parts;
  return new ConversationRunner({
    conversations: new ConversationStore({ db: intake.db, cipher: intake.cipher }),
    reports: intake.reports,
    followups: intake.followups,
    extractIndicators,
    emergencyContacts: (country, nationality, language) =>
      emergencyContactsFor(directory, country, i18n.getFixedT(language, 'routing'), language, nationality),
    describeRouting: (reportId, language) => describeStoredRouting(intake.routing, directory, i18n, reportId, language),
  });
}

/** What reporters may send through a chat: photos, screenshots, PDF documents and videos, up to a size. */
export function chatEvidenceLimits(maxBytes: number): EvidenceLimits {
  return { maxBytes, allowedTypes: new Set([...imageTypes, ...documentTypes, ...videoTypes]) };
}

/** What the web form takes: photos, screenshots and PDF documents, up to a size (videos go through a chat). */
export function formEvidenceLimits(maxBytes: number): EvidenceLimits {
  return { maxBytes, allowedTypes: new Set([...imageTypes, ...documentTypes]) };
}
