import { cell, utf8ByteOrderMark } from '../delivery/exports/cases-csv.js';
import type { DashboardFigures } from './dashboard-read-model.js';

/**
 * The numbers behind every panel of a dashboard as one CSV: a row per figure,
 * `panel,week,key,detail,value`, with codes rather than words (a category's
 * key, an ISO country code, a channel) so a spreadsheet in any language reads
 * them. `week` is the Monday (UTC) a weekly figure belongs to, empty for a
 * figure of the whole period or of today; `key` is what the figure is of (a
 * compound's name, a value as the page shows it) and `detail` qualifies it
 * (the compound's country, the value's kind). Cells are
 * formula-safe as in the case export: a value reported by a stranger (a
 * domain, an account) never runs in an analyst's spreadsheet.
 */
export function dashboardToCsv(figures: DashboardFigures): string {
  const rows: Array<[string, string, string, string, string | number | null]> = [];
  const weekly = (panel: string, entries: Array<{ week: string; key?: string | null; count: number }>) => {
    for (const entry of entries) rows.push([panel, entry.week, entry.key ?? '', '', entry.count]);
  };
  weekly('reports_by_category', figures.reportsByCategory);
  weekly('reports_by_country', figures.reportsByCountry);
  weekly('reports_by_channel', figures.reportsByChannel);
  weekly('urgent_reports', figures.urgentReports);
  for (const times of [...figures.acknowledgement.weeks, figures.acknowledgement.period]) {
    const week = times.week ?? '';
    rows.push(['urgent_clocks', week, 'urgent', '', times.urgent]);
    rows.push(['urgent_clocks', week, 'acknowledged', '', times.acknowledged]);
    rows.push(['urgent_clocks', week, 'median_seconds_to_acknowledge', '', times.medianSeconds]);
    rows.push(['urgent_clocks', week, 'p90_seconds_to_acknowledge', '', times.p90Seconds]);
  }
  for (const compound of figures.compounds)
    rows.push(['compounds_held_now', '', compound.name, compound.country, compound.heldNow]);
  for (const entry of figures.mostReported)
    rows.push([`most_reported_${entry.group}`, '', entry.shown, entry.kind, entry.reports]);
  for (const share of figures.linked) {
    rows.push(['linked_reports', share.week, 'reports', '', share.reports]);
    rows.push(['linked_reports', share.week, 'linked', '', share.linked]);
  }
  const lines = ['panel,week,key,detail,value', ...rows.map((row) => row.map((value) => cell(value)).join(','))];
  return `${utf8ByteOrderMark}${lines.join('\r\n')}\r\n`;
}
