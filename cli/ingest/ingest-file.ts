// Reads one k6 JSON output file into an Aggregator, turning every way a file can be wrong
// (empty, not k6 JSON, corrupt line, half-written last line, truncated gzip) into an
// InputError with the file and line, or — with `lenient` — into a count of skipped lines.
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import { notARegularFile } from '../io/input-file.ts';
import { fileSize, readLines } from '../io/line-reader.ts';
import { progressFor } from '../io/progress.ts';
import { Aggregator } from './aggregator.ts';
import { LineFormatError, newPointRef, type PointRef, parseLine } from './k6-line-parser.ts';

export interface IngestOptions {
  lenient?: boolean;
  /** Tags to keep although they are dropped by default (url, vu, iter...). */
  keepTags?: string[];
  dropped: Set<string>;
}

export interface IngestResult {
  aggregator: Aggregator;
  lines: number;
  badLines: number;
  truncated?: string;
  /** Human-readable notes about skipped data (lenient mode). */
  warnings: string[];
}

const LENIENT_FIX = 'pass --lenient to skip bad lines (they are counted and reported), or re-run the test';

export async function ingestK6Output(path: string, options: IngestOptions): Promise<IngestResult> {
  const agg = new Aggregator(options.dropped);
  const point: PointRef = newPointRef();
  let badLines = 0;
  let firstRecordSeen = false;
  // A parse failure is reported only once we know whether another line follows: a bad final
  // line is the signature of k6 being killed mid-write and gets its own message.
  let pending: { line: number; problem: string; notJson: boolean } | undefined;
  const warnings: string[] = [];

  const failPending = (isLast: boolean) => {
    if (!pending) return;
    const { line, problem, notJson } = pending;
    pending = undefined;
    if (options.lenient) {
      badLines++;
      return;
    }
    // Only a last line that is not JSON at all looks like a cut; a whole object of the wrong shape is corrupt.
    if (isLast && notJson) throw new InputError(path, line, `incomplete last line: ${problem}; the file ends mid-record (k6 killed while writing?)`, LENIENT_FIX);
    throw new InputError(path, line, `corrupt line: ${problem}`, LENIENT_FIX);
  };

  // Checked before the size: a FIFO or a device reports size 0, which is not "empty".
  const special = notARegularFile(path);
  if (special) throw new InputError(path, undefined, special, 'give the k6 JSON output file itself (k6 --out json=<run>/k6.json.gz)');
  let size = 0;
  try {
    size = fileSize(path);
  } catch {
    throw new InputError(path, undefined, 'file not found', 'check the path; a run folder must contain k6.json.gz (k6 --out json=<run>/k6.json.gz)');
  }
  if (size === 0) throw new InputError(path, undefined, 'file is empty: no k6 metric points', 'the run produced no output; check that k6 ran with --out json=<file>');

  const progress = progressFor(`reading ${basename(path)}`, size);
  let result;
  try {
    result = await readLines(
      path,
      (text, start, end, lineNo) => {
        failPending(false);
        let kind;
        try {
          kind = parseLine(text, start, end, point);
          if (kind === 'point') agg.addPoint(point);
        } catch (err) {
          if (!(err instanceof LineFormatError)) throw err;
          if (!firstRecordSeen) {
            const csv = text.startsWith('metric_name,timestamp', start);
            throw new InputError(
              path,
              lineNo,
              csv ? 'this is k6 CSV output, which is not supported' : `unknown format: ${err.message}; expected k6 JSON output (one {"type":"Metric"|"Point",...} object per line)`,
              'run k6 with --out json=<run>/k6.json.gz',
            );
          }
          pending = { line: lineNo, problem: err.message, notJson: err.notJson };
          return;
        }
        if (kind === 'blank') return;
        firstRecordSeen = true;
        if (kind !== 'point') agg.declare(kind);
      },
      { lenient: options.lenient, onProgress: (b) => progress.update(b) },
    );
  } finally {
    progress.stop();
  }
  failPending(true);
  if (result.truncated) {
    warnings.push(`${path}: ${result.truncated}; kept the ${agg.points} points before the cut`);
    if (result.partialTail) badLines++;
  }
  if (badLines > 0) warnings.push(`${path}: skipped ${badLines} bad line(s) (--lenient)`);
  if (agg.points === 0) throw new InputError(path, undefined, `no k6 metric points in ${result.lines} line(s)`, 'check that k6 ran with --out json=<file> and the test made requests');
  return { aggregator: agg, lines: result.lines, badLines, truncated: result.truncated, warnings };
}
