// Durations as k6 and Go spell them ("90s", "1m30s", "2h", "500ms"), converted to and from
// whole seconds. Profiles schedule in whole seconds so totals are exact and easy to check.

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses "1h30m", "90s", "2.5m", "500ms" into seconds; undefined when the text is not a duration. */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION_RE.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(PART_RE)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return total;
}

/** Formats whole seconds the way k6 prints them: 0s, 45s, 1m30s, 2h, 2h10m. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s <= 0) return '0s';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${sec ? `${sec}s` : ''}`;
}
