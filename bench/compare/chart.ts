/**
 * The ratio chart, as SVG text with no dependency: one group of horizontal bars per scenario, one bar per peer
 * (peer / Vltava on a higher-is-better figure: records/s, or 1/p99 for latency), each with a black tick at its
 * target. A bar that ends left of its tick meets the target.
 */

/** One bar. */
export interface ChartBar {
  readonly label: string;
  readonly ratio: number;
  readonly target?: number;
  readonly color: string;
}

/** One scenario's bars. */
export interface ChartGroup {
  readonly label: string;
  readonly bars: readonly ChartBar[];
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders the chart. */
export function ratioChart(title: string, subtitle: string, groups: readonly ChartGroup[]): string {
  const width = 980;
  const left = 330;
  const right = 60;
  const barHeight = 11;
  const groupGap = 14;
  const top = 70;
  const all = groups.flatMap((g) => g.bars.flatMap((b) => [b.ratio, b.target ?? 0])).filter(Number.isFinite);
  const maxRatio = Math.max(1.5, Math.ceil(Math.min(4, Math.max(...all, 1)) * 4) / 4);
  const plot = width - left - right;
  const x = (ratio: number) => left + (Math.min(ratio, maxRatio) / maxRatio) * plot;
  let y = top;
  const body: string[] = [];
  for (const group of groups) {
    const height = group.bars.length * barHeight;
    body.push(
      `<text x="${left - 8}" y="${y + height / 2 + 4}" text-anchor="end" class="group">${escapeXml(group.label)}</text>`,
    );
    for (const bar of group.bars) {
      const w = Number.isFinite(bar.ratio) ? x(bar.ratio) - left : 0;
      body.push(
        `<rect x="${left}" y="${y + 1}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${bar.color}"><title>${escapeXml(
          `${bar.label}: ${bar.ratio.toFixed(2)}${bar.target === undefined ? '' : ` (target at most ${bar.target.toFixed(2)})`}`,
        )}</title></rect>`,
      );
      if (Number.isFinite(bar.ratio)) {
        const clipped = bar.ratio > maxRatio ? '+' : '';
        body.push(
          `<text x="${(left + w + 3).toFixed(1)}" y="${y + barHeight - 2}" class="value">${bar.ratio.toFixed(2)}${clipped}</text>`,
        );
      }
      if (bar.target !== undefined) {
        const tx = x(bar.target).toFixed(1);
        body.push(`<line x1="${tx}" x2="${tx}" y1="${y}" y2="${y + barHeight}" class="target"/>`);
      }
      y += barHeight;
    }
    y += groupGap;
  }
  const bottom = y + 10;
  const axis: string[] = [];
  for (let tick = 0; tick <= maxRatio + 1e-9; tick += 0.25) {
    const tx = x(tick).toFixed(1);
    const major = Math.abs(tick - Math.round(tick * 2) / 2) < 1e-9;
    axis.push(
      `<line x1="${tx}" x2="${tx}" y1="${top - 6}" y2="${bottom - 10}" class="${tick === 1 ? 'one' : 'grid'}"/>`,
    );
    if (major) axis.push(`<text x="${tx}" y="${top - 10}" text-anchor="middle" class="tick">${tick.toFixed(1)}</text>`);
  }
  const legendColors = new Map<string, string>();
  for (const group of groups) for (const bar of group.bars) legendColors.set(bar.label, bar.color);
  const legend = [...legendColors].map(([label, color], i) => {
    const lx = 10 + (i % 5) * 190;
    const ly = bottom + 8 + Math.floor(i / 5) * 18;
    return `<rect x="${lx}" y="${ly}" width="12" height="10" fill="${color}"/><text x="${lx + 16}" y="${ly + 9}" class="legend">${escapeXml(label)}</text>`;
  });
  const height = bottom + 16 + Math.ceil(legendColors.size / 5) * 18 + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    '<style>.group{font-size:11px;fill:#222}.value{font-size:9px;fill:#444}.tick{font-size:10px;fill:#555}.legend{font-size:11px;fill:#222}.grid{stroke:#e4e4e4}.one{stroke:#999;stroke-dasharray:3 2}.target{stroke:#000;stroke-width:2}.title{font-size:15px;font-weight:bold}.sub{font-size:11px;fill:#444}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" class="title">${escapeXml(title)}</text>`,
    `<text x="10" y="38" class="sub">${escapeXml(subtitle)}</text>`,
    ...axis,
    ...body,
    ...legend,
    `<text x="10" y="${height - 8}" class="sub">Black tick: the target (the bar must end left of it). Values past ${maxRatio.toFixed(2)} are clipped (+).</text>`,
    '</svg>',
    '',
  ].join('\n');
}
