// Folds k6 points into per-metric, per-tag-set series (exact moments + HDR histogram for
// trends) and the run's chart series. One instance per run (or per segment file).

import { PROGRESS_GUARD_SCENARIO, PROGRESS_GUARD_VUS, PROGRESS_STALLS_METRIC } from '../../lib/shared/progress-guard.ts';
import type { MetricType, Series } from '../model/run-summary.ts';
import { seriesKey, tagKey } from '../model/run-summary.ts';
import { addSeriesInto, emptySeries } from '../model/series-ops.ts';
import { HTTP_SUB_TIMINGS, METRIC, TAG } from '../run-folder/metric-names.ts';
import { newHistogram, recordValue } from '../stats/histogram.ts';
import { TimeSeriesBuilder } from '../stats/timeseries.ts';
import { addValue } from '../stats/welford.ts';
import { checkTags, detach, LineFormatError, type MetricDecl, type PointRef } from './k6-line-parser.ts';

interface TagSetEntry {
  key: string;
  tags: Record<string, string>;
  testId: string | undefined;
  /** metric -> this tag set's series, so the hot path never builds series keys. */
  series: Map<string, Series>;
  /** expected_response:false: a failed request, whose duration is no latency of the target. */
  failedRequest: boolean;
}

const BUILTIN_TYPES: Record<string, [MetricType, string]> = {
  http_reqs: ['counter', 'default'],
  iterations: ['counter', 'default'],
  dropped_iterations: ['counter', 'default'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  vus: ['gauge', 'default'],
  vus_max: ['gauge', 'default'],
  http_req_failed: ['rate', 'default'],
  checks: ['rate', 'default'],
};

/** k6's own durations: a negative one is not something k6 measured. */
const K6_TIME_METRICS = new Set<string>([METRIC.duration, ...HTTP_SUB_TIMINGS, 'iteration_duration', 'group_duration']);

const TAG_CACHE_LIMIT = 20000;

/** Tags whose values change per request: cut from the cache key so the cache keeps hitting. */
const VOLATILE = ['url', 'vu', 'iter'];

/** Removes `"key":"value"` (and one adjacent comma) from a raw tags object text. */
function cutTag(raw: string, needle: string): string {
  const at = raw.indexOf(needle);
  if (at === -1) return raw;
  const end = valueEnd(raw, at + needle.length);
  if (raw.charCodeAt(end + 1) === 44) return raw.slice(0, at) + raw.slice(end + 2);
  if (raw.charCodeAt(at - 1) === 44) return raw.slice(0, at - 1) + raw.slice(end + 1);
  return raw.slice(0, at) + raw.slice(end + 1);
}

/** Index of the closing quote of a JSON string whose content starts at `i`. */
function valueEnd(raw: string, i: number): number {
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return raw.length;
}

export class Aggregator {
  readonly series = new Map<string, Series>();
  readonly declared = new Map<string, MetricDecl>();
  readonly timeline = new TimeSeriesBuilder();
  startMs = Infinity;
  endMs = -Infinity;
  points = 0;
  unknownMetricPoints = 0;
  testId: string | undefined;
  /** The progress guard's VUs when its samples were seen (k6's vus gauges count them); 0 otherwise. */
  progressGuardVus = 0;
  // Tag sets are looked up by the raw text before and after the url tag (two levels, so the
  // hot path never concatenates strings), after a check against the previous point's tags:
  // k6 writes ~10 points per request with identical tags.
  private readonly tagCache = new Map<string, Map<string, TagSetEntry>>();
  private tagCacheSize = 0;
  private lastEntry: TagSetEntry | undefined;
  private readonly untagged = new Map<string, Series>();
  private readonly urlNeedle: string | undefined;
  private readonly otherVolatile: string[];
  /** vu/iter tags are off by default in k6; only pay for cutting them once they show up. */
  private sawOtherVolatile = false;

  constructor(private readonly dropped: Set<string>) {
    this.urlNeedle = dropped.has('url') ? '"url":"' : undefined;
    this.otherVolatile = VOLATILE.filter((t) => t !== 'url' && dropped.has(t)).map((t) => `"${t}":"`);
  }

  declare(decl: MetricDecl): void {
    this.declared.set(decl.name, decl);
  }

  private tagSet(p: PointRef): TagSetEntry {
    if (this.lastEntry && p.sameTagsAsLast) return this.lastEntry;
    const raw = p.tagsRaw;
    let head = raw;
    let tail = '';
    if (this.urlNeedle) {
      const at = raw.indexOf(this.urlNeedle);
      if (at !== -1) {
        const end = valueEnd(raw, at + this.urlNeedle.length);
        head = raw.slice(0, at);
        tail = raw.slice(end + 1);
      }
    }
    if (this.sawOtherVolatile)
      for (const needle of this.otherVolatile) {
        head = cutTag(head, needle);
        tail = cutTag(tail, needle);
      }
    let e = this.tagCache.get(head)?.get(tail);
    if (!e) {
      // A refused tag set must not stay "the last one": the next point with the same text would reuse the entry before it.
      this.lastEntry = undefined;
      e = this.newTagSet(p, head, tail);
      if (this.tagCacheSize >= TAG_CACHE_LIMIT) {
        this.tagCache.clear();
        this.tagCacheSize = 0;
      }
      const h = detach(head);
      let inner = this.tagCache.get(h);
      if (!inner) {
        inner = new Map();
        this.tagCache.set(h, inner);
      }
      inner.set(detach(tail), e);
      this.tagCacheSize++;
    }
    this.lastEntry = e;
    return e;
  }

  private newTagSet(p: PointRef, head: string, tail: string): TagSetEntry {
    let raw: Record<string, unknown>;
    if (p.tags) raw = p.tags;
    else if (!p.tagsRaw) raw = {};
    else {
      // head ends with ',' or '{' and tail starts with ',' or '}' around the cut url tag.
      let text = head + tail;
      text = text
        .replace(/,\s*}$/, '}')
        .replace(/{\s*,/, '{')
        .replace(/,,/, ',');
      try {
        raw = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new LineFormatError(`data.tags is not a valid JSON object (${(err as Error).message})`);
      }
      checkTags(raw);
    }
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (!this.dropped.has(k)) tags[k] = String(v);
    if (('vu' in raw && this.dropped.has('vu')) || ('iter' in raw && this.dropped.has('iter'))) this.sawOtherVolatile = true;
    const testId = raw['testid'];
    return { key: tagKey(tags), tags, testId: typeof testId === 'string' ? testId : undefined, series: new Map(), failedRequest: String(raw['expected_response']) === 'false' };
  }

  private seriesFor(metricSlice: string, key: string, tags: Record<string, string>): Series {
    const metric = detach(metricSlice);
    const k = seriesKey(metric, key);
    let s = this.series.get(k);
    if (!s) {
      const decl = this.declared.get(metric);
      let type: MetricType;
      let contains: string;
      if (decl && ['counter', 'gauge', 'rate', 'trend'].includes(decl.type)) {
        type = decl.type as MetricType;
        contains = decl.contains;
      } else {
        [type, contains] = BUILTIN_TYPES[metric] ?? ['trend', 'default'];
      }
      s = emptySeries(metric, type, contains, tags);
      if (type === 'trend') s.hist = newHistogram();
      this.series.set(k, s);
    }
    return s;
  }

  private static update(s: Series, value: number, timeMs: number): void {
    addValue(s.moments, value);
    if (value !== 0) s.nonZero++;
    if (timeMs >= s.lastMs) {
      s.lastMs = timeMs;
      s.last = value;
    }
    if (timeMs < s.firstMs) s.firstMs = timeMs;
    if (s.hist) recordValue(s.hist, value);
  }

  // Each point updates exactly one series (its tag set's); whole-metric series are built in
  // finish() by merging, which is exact and halves the per-point work.
  // A bad point throws LineFormatError before anything is counted, so --lenient can skip it.
  addPoint(p: PointRef): void {
    if (p.value < 0 && K6_TIME_METRICS.has(p.metric)) throw new LineFormatError(`${p.metric} of ${p.value}: a duration k6 measured cannot be negative`);
    const ts = this.tagSet(p);
    this.points++;
    const t = p.timeMs;
    if (t < this.startMs) this.startMs = t;
    if (t > this.endMs) this.endMs = t;
    // The progress guard's own iterations are not the workload's: only its stall counter counts.
    if (ts.tags[TAG.scenario] === PROGRESS_GUARD_SCENARIO) {
      this.progressGuardVus = PROGRESS_GUARD_VUS;
      if (p.metric !== PROGRESS_STALLS_METRIC) return;
    }
    if (this.testId === undefined && ts.testId !== undefined) this.testId = ts.testId;
    let target = ts.series.get(p.metric);
    if (!target) {
      target = ts.key ? this.seriesFor(p.metric, ts.key, ts.tags) : this.untaggedFor(p.metric);
      ts.series.set(target.metric, target);
    }
    Aggregator.update(target, p.value, t);
    this.timelinePoint(p.metric, p.value, t, ts.failedRequest);
  }

  private untaggedFor(metricSlice: string): Series {
    const metric = detach(metricSlice);
    let s = this.untagged.get(metric);
    if (!s) {
      const fresh = this.seriesFor(metric, '', {});
      this.series.delete(seriesKey(metric, ''));
      this.untagged.set(metric, fresh);
      s = fresh;
    }
    return s;
  }

  /** All series, whole-metric ones included. Call once, after the last point. */
  finish(): Map<string, Series> {
    const parts = new Map<string, Series[]>();
    for (const s of [...this.series.values(), ...this.untagged.values()]) {
      const list = parts.get(s.metric) ?? [];
      list.push(s);
      parts.set(s.metric, list);
    }
    const out = new Map<string, Series>();
    for (const [metric, list] of parts) {
      const whole = emptySeries(metric, list[0]!.type, list[0]!.contains, {});
      for (const s of list) addSeriesInto(whole, s, 'max');
      // A gauge's whole value is its latest reading, whichever tag set it came with.
      if (whole.type === 'gauge') whole.last = list.reduce((a, b) => (b.lastMs >= a.lastMs ? b : a)).last;
      out.set(seriesKey(metric, ''), whole);
      if (!this.declared.has(metric)) this.unknownMetricPoints += whole.moments.count;
    }
    for (const [k, s] of this.series) out.set(k, s);
    return out;
  }

  private timelinePoint(metric: string, value: number, t: number, failedRequest: boolean): void {
    switch (metric) {
      case 'http_req_duration':
        // The timeline's latency is of successful requests: during an outage failed requests
        // answer in ~0 ms and would pull the lines to zero. Failures are counted per bucket.
        if (!failedRequest) {
          const b = this.timeline.bucketAt(t);
          recordValue(b.latency, value);
          b.latencySumMs += value;
        }
        break;
      case 'http_reqs':
        this.timeline.bucketAt(t).reqs += value;
        break;
      case 'http_req_failed': {
        const b = this.timeline.bucketAt(t);
        b.failedChecked++;
        if (value !== 0) b.failed++;
        break;
      }
      case 'iterations':
        this.timeline.bucketAt(t).iterations += value;
        break;
      case 'iteration_duration':
        // k6 writes an iteration's points when it ends; its start is that time minus its
        // duration. The breaking point counts offered load by start (cli/figures/breaking-point.ts).
        this.timeline.bucketAt(t - value).started++;
        break;
      case 'checks': {
        const b = this.timeline.bucketAt(t);
        b.checks++;
        if (value !== 0) b.checksPassed++;
        break;
      }
      case 'dropped_iterations':
        this.timeline.bucketAt(t).dropped += value;
        break;
      case 'vus': {
        const b = this.timeline.bucketAt(t);
        if (value > b.vus) b.vus = value;
        break;
      }
    }
  }
}
