import type { CaseActor } from '../cases/case-actor.js';
import { compoundToMispEvent } from '../delivery/exports/compounds-misp.js';
import type { MispExportOptions } from '../delivery/exports/indicators-misp.js';
import type { IndicatorLinks } from '../store/indicator-links.js';
import type { CompoundForm } from './compound-input.js';
import { createCompoundReadModels } from './compound-read-models.js';
import {
  addCompound,
  decideCompoundCase,
  editCompound,
  type CompoundRegisterDependencies,
  type ProposalDecision,
} from './compound-register.js';

export interface CompoundParts extends CompoundRegisterDependencies {
  links: IndicatorLinks;
}

/**
 * The register of compounds as the portal uses it: each action one audited
 * transaction, and what the console and the inbox read of it.
 */
export function createCompoundUseCases(parts: CompoundParts) {
  const views = createCompoundReadModels(parts);
  return {
    add: (actor: CaseActor, form: CompoundForm) => addCompound(parts, actor, form),
    edit: (actor: CaseActor, compoundId: string, form: CompoundForm, seenUpdatedAt: string) =>
      editCompound(parts, actor, compoundId, form, seenUpdatedAt),
    decide: (actor: CaseActor, compoundId: string, reference: string, decision: ProposalDecision) =>
      decideCompoundCase(parts, actor, compoundId, reference, decision),
    list: views.list,
    file: views.file,
    ofCase: views.ofCase,
    /** The compound as one MISP event, holding what the actor may see of it; undefined when that is nothing. */
    async mispEvent(actor: CaseActor, compoundId: string, options: MispExportOptions = {}) {
      const file = await views.file(actor, compoundId);
      return file ? compoundToMispEvent(file, { ...options, now: parts.now() }) : undefined;
    },
  };
}

export type CompoundUseCases = ReturnType<typeof createCompoundUseCases>;
