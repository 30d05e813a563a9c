// k6's own CPU and memory for a run split into execution segments that ran at the same time on
// ONE machine (tools/runner/segments.ts): the generator is then all N k6 processes together, so
// the merged generator.csv holds, for every moment, the sum of their CPU and memory. The one
// saturation rule (cli/figures/generator.ts) then judges that sum against the machine's cores,
// exactly as it judges one k6 process of an unsegmented run. Without this the merged run's k6
// CPU is "not measured": never a pass, but also never the saturation N processes on a small
// machine easily reach.
//
// Segments that ran on different machines (k6-operator runners) must not be summed: each has
// its own cores. `ledger-perf merge` therefore does not call this; only the local runner, which
// knows its segments shared this machine, does.
import { GENERATOR_FILE, type GeneratorSamples } from '../figures/generator.ts';
import { RESOURCE_COLUMNS, type ResourceSample } from '../figures/resources.ts';

interface Span {
  fromMs: number;
  toMs: number;
  sample: ResourceSample;
}

/** Each sample covers the time since the previous one (the first: since its monitor started). */
function spansOf(samples: readonly ResourceSample[]): Span[] {
  return samples.map((s, i) => {
    const toMs = Date.parse(s.time);
    const spanS = i === 0 ? s.elapsedS : s.elapsedS - samples[i - 1]!.elapsedS;
    return { fromMs: toMs - spanS * 1000, toMs, sample: s };
  });
}

/**
 * One sample series for N k6 processes that ran at the same time on one machine: over every
 * stretch of time between two sample boundaries of any process, the sum of each process's CPU
 * (and RSS, open files) in that stretch; a process not running then adds nothing.
 */
export function mergeConcurrentGeneratorSamples(parts: readonly GeneratorSamples[]): GeneratorSamples {
  const spans = parts.map((p) => spansOf(p.samples));
  const edges = [...new Set(spans.flatMap((list) => list.flatMap((s) => [s.fromMs, s.toMs])))].sort((a, b) => a - b);
  const startMs = edges[0] ?? 0;
  const cursor = spans.map(() => 0);
  const samples: ResourceSample[] = [];
  for (let e = 1; e < edges.length; e++) {
    const fromMs = edges[e - 1]!;
    const toMs = edges[e]!;
    const mid = (fromMs + toMs) / 2;
    let cpu = 0;
    let rss = 0;
    let files = 0;
    spans.forEach((list, k) => {
      while (cursor[k]! < list.length && list[cursor[k]!]!.toMs <= mid) cursor[k]!++;
      const s = list[cursor[k]!];
      if (!s || s.fromMs > mid) return;
      cpu += s.sample.cpuPercent;
      rss += s.sample.rssBytes;
      files += s.sample.openFiles;
    });
    samples.push({ time: new Date(toMs).toISOString(), elapsedS: (toMs - startMs) / 1000, pid: 0, cpuPercent: cpu, rssBytes: rss, openFiles: files });
  }
  // The same name a later `ledger-perf report` of the merged folder reads it under.
  return { file: GENERATOR_FILE, samples };
}

/** generator.csv text for merged samples (the columns the resource monitor writes; pid 0 = several processes). */
export function generatorCsv(g: GeneratorSamples): string {
  const rows = g.samples.map((s) => [s.time, s.elapsedS.toFixed(3), s.pid, s.cpuPercent.toFixed(2), s.rssBytes, s.openFiles].join(','));
  return `${[RESOURCE_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
