/**
 * The colours of a chart's series: the Okabe–Ito palette, told apart by people
 * with the common colour-vision deficiencies, darkened where a bar on white
 * would fall under WCAG's 3:1 for graphics (its yellow is left out). The last
 * colour is the grey of "everything else".
 */
export const seriesColours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8A6100', '#3A8FC2', '#6B3FA0'] as const;
export const otherColour = '#7A7A7A';

export function colourOf(index: number, isOther = false): string {
  return isOther ? otherColour : seriesColours[index % seriesColours.length]!;
}
