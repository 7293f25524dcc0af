import type { Results } from './results.js';

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 440;
const HEIGHT = 320;
const MARGIN = { left: 60, right: 16, top: 36, bottom: 78 };

const escapeXml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** Whole decades around the data, so both log axes read as 10, 100, 1,000… */
function decades(values: number[]): number[] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  // A point 1 % past a decade (10,073 items) stays on the 10,000 gridline rather than adding a decade.
  const high = Math.ceil(Math.log10(Math.max(...values)) - 0.01);
  return Array.from({ length: Math.max(1, high - low) + 1 }, (_, i) => 10 ** (low + i));
}

const label = (n: number): string => n.toLocaleString('en-US');

function panel(spec: Panel, offsetX: number): string {
  const xs = spec.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = spec.series.flatMap((s) => s.points.map(([, y]) => y));
  const xTicks = decades(xs);
  const yTicks = decades(ys);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const logScale = (ticks: number[], size: number) => {
    const lo = Math.log10(ticks[0] ?? 1);
    const hi = Math.log10(ticks.at(-1) ?? 10);
    return (v: number) => ((Math.log10(v) - lo) / (hi - lo || 1)) * size;
  };
  const sx = logScale(xTicks, plotW);
  const sy = logScale(yTicks, plotH);
  const X = (v: number) => (MARGIN.left + sx(v)).toFixed(1);
  const Y = (v: number) => (MARGIN.top + plotH - sy(v)).toFixed(1);
  const out: string[] = [`<g transform="translate(${offsetX},0)">`];
  out.push(`<text x="${MARGIN.left}" y="20" font-weight="bold">${escapeXml(spec.title)}</text>`);
  for (const t of yTicks) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${Y(t)}" y2="${Y(t)}" stroke="#ddd"/>`,
    );
    out.push(
      `<text x="${MARGIN.left - 6}" y="${Y(t)}" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${X(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle">items already published (log)</text>`,
    `<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const path = s.points.map(([x, y], j) => `${j ? 'L' : 'M'}${X(x)},${Y(y)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of s.points) {
      out.push(
        `<circle cx="${X(x)}" cy="${Y(y)}" r="3" fill="${s.color}"><title>${escapeXml(`${s.name}: ${label(Math.round(y * 10) / 10)} at ${label(x)} items`)}</title></circle>`,
      );
    }
    const ly = MARGIN.top + plotH + 50 + Math.floor(i / 2) * 16;
    const lx = MARGIN.left + (i % 2) * 180;
    out.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** Per-upload cost against published items, seedfeed beside the naive publisher, from measured medians. */
export function costChart(results: Results): string {
  const { seedfeed, naive } = results.scaling;
  const time: Panel = {
    title: 'Time per upload (median, ms, log)',
    yLabel: 'milliseconds',
    series: [
      {
        name: 'seedfeed wall (s3rver)',
        color: '#0b57d0',
        points: seedfeed.map((c) => [c.published, c.wallMs.median]),
      },
      {
        name: 'seedfeed handler CPU',
        color: '#0b57d0',
        dashed: true,
        points: seedfeed.map((c) => [c.published, c.cpuMs.median]),
      },
      { name: 'naive wall', color: '#c5221f', points: naive.map((c) => [c.published, c.wallMs.median]) },
      {
        name: 'naive CPU',
        color: '#c5221f',
        dashed: true,
        points: naive.map((c) => [c.published, c.cpuMs.median]),
      },
    ],
  };
  const requests: Panel = {
    title: 'S3 requests per upload (log)',
    yLabel: 'requests',
    series: [
      { name: 'seedfeed', color: '#0b57d0', points: seedfeed.map((c) => [c.published, c.totalRequests]) },
      { name: 'naive', color: '#c5221f', points: naive.map((c) => [c.published, c.totalRequests]) },
    ],
  };
  const caption = `${results.mode} run, ${results.date.slice(0, 10)}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH * 2}" height="${HEIGHT + 20}" viewBox="0 0 ${WIDTH * 2} ${HEIGHT + 20}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
    '<title>seedfeed: cost of one upload against items already published</title>',
    `<rect width="${WIDTH * 2}" height="${HEIGHT + 20}" fill="#fff"/>`,
    panel(time, 0),
    panel(requests, WIDTH),
    `<text x="${WIDTH}" y="${HEIGHT + 12}" text-anchor="middle" fill="#666" font-size="11">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
