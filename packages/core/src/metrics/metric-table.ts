import { METRIC_CATALOGUE, type MetricClient } from './metric-catalogue.js';

const TITLES: Record<MetricClient, string> = {
  connection: 'Connections (every client)',
  producer: 'Producer',
  consumer: 'Consumer',
  share_consumer: 'Share consumer',
  admin: 'Admin client',
};

/**
 * The metric tables of docs/METRICS.md, one per client, rendered from {@link METRIC_CATALOGUE} (a unit test checks
 * that the document holds exactly this).
 */
export function metricTablesMarkdown(): string {
  const sections: string[] = [];
  for (const client of Object.keys(TITLES) as MetricClient[]) {
    const rows = METRIC_CATALOGUE.filter((m) => m.client === client).map(
      (m) =>
        `| \`${m.name}\` | ${m.type} | ${m.unit} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${m.help} | ` +
        `${m.java === undefined ? '' : `\`${m.java}\``} | ${m.otel === undefined ? '' : `\`${m.otel.name}\` (${m.otel.unit})`} |`,
    );
    sections.push(
      `### ${TITLES[client]}\n\n| name | type | unit | labels | what it measures | Java | OpenTelemetry |\n` +
        `| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`,
    );
  }
  return sections.join('\n');
}
