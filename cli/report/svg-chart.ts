// Minimal line charts as inline SVG: reports must open offline, so no chart library or CDN.
import { xml } from './format.ts';

export interface ChartSeries {
  name: string;
  color: string;
  points: Array<[number, number | null]>;
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
  formatY?: (v: number) => string;
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 240;
  const m = { l: 64, r: 16, t: 28, b: 36 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter((v): v is number => v !== null && Number.isFinite(v));
  const xMax = Math.max(1, ...xs);
  const yTop = ys.length ? Math.max(...ys) : 1;
  const yStep = niceStep(yTop > 0 ? yTop : 1, 4);
  const yMax = Math.max(yStep, Math.ceil((yTop > 0 ? yTop : 1) / yStep) * yStep);
  const fy = spec.formatY ?? ((v: number) => String(+v.toPrecision(3)));
  const X = (x: number) => m.l + (x / xMax) * pw;
  const Y = (y: number) => m.t + ph - (y / yMax) * ph;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${xml(spec.id)}" data-chart="${xml(spec.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xml(spec.title)}">`,
  );
  parts.push(`<text x="${m.l}" y="18" class="title">${xml(spec.title)}</text>`);
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${xml(fy(v))}</text>`);
  }
  const xStep = niceStep(xMax, 6);
  for (let v = 0; v <= xMax + 1e-9; v += xStep) parts.push(`<text x="${X(v).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" class="tick">${xml(String(+v.toPrecision(4)))}s</text>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" class="axis"/><line x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" class="axis"/>`);
  parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" class="tick">${xml(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(y).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6" class="series" data-series="${xml(s.name)}"/>`);
    const lx = W - m.r - 110 * (spec.series.length - i);
    parts.push(`<rect x="${lx}" y="8" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="17" class="tick">${xml(s.name)}</text>`);
  });
  if (all.length === 0) parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph / 2}" text-anchor="middle" class="tick">no data</text>`);
  parts.push('</svg>');
  return parts.join('');
}
