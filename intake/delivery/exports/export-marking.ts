import { tlpLevels, type TlpLevel } from './cases-stix.js';

/** PAP levels as the MISP `PAP` taxonomy (version 1) writes them. */
export const papLevels = ['RED', 'AMBER', 'GREEN', 'WHITE'] as const;
export type PapLevel = (typeof papLevels)[number];

/**
 * How far the receiver may share what an export holds (TLP) and act on it
 * (PAP): the deployment's choice (REPORTLINE_EXPORT_TLP, REPORTLINE_EXPORT_PAP),
 * the same in every format, TLP:AMBER+STRICT and PAP:AMBER unless it chooses
 * otherwise.
 */
export interface ExportMarking {
  tlp: TlpLevel;
  pap: PapLevel;
}

export const defaultExportMarking: ExportMarking = { tlp: 'amber+strict', pap: 'AMBER' };

export { tlpLevels };

/** The marking as the MISP tags of an event. */
export function mispMarking(marking: ExportMarking): { tlp: string; pap: string } {
  return { tlp: `tlp:${marking.tlp}`, pap: `PAP:${marking.pap}` };
}
