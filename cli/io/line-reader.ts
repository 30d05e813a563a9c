// Streams a plain or gzip NDJSON file line by line with constant memory. Chunks are split on
// the last newline byte, so a multi-byte UTF-8 character can never be cut in half; each
// complete block is decoded once and lines are handed out as offsets into it, so the parser
// reads the block in place and slices only the few fields it keeps.
// Blocks stay ≤ 64 KiB: V8 decodes strings of 128 KiB and more ~40x slower (they go to
// large-object space), which measured as the single biggest cost of ingest.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { InputError } from '../errors.ts';
import { notARegularFile } from './input-file.ts';

export interface LineReadResult {
  lines: number;
  /** Set when the input ended early (truncated gzip) and `lenient` allowed going on. */
  truncated?: string;
  /** The cut left a partial line that was dropped (lenient mode counts it as a bad line). */
  partialTail?: boolean;
  compressed: boolean;
}

export interface LineReadOptions {
  lenient?: boolean;
  /** Called now and then with the number of (compressed) bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** Receives line `lineNo` as text[start, end) (newline and trailing \r excluded). */
export type LineHandler = (text: string, start: number, end: number, lineNo: number) => void;

const NEWLINE = 0x0a;
const BLOCK = 1 << 16;
/**
 * No k6 output line comes near this (a point is a few hundred bytes); a longer line means the
 * file is not k6 NDJSON, and holding it would cost memory without bound.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

export async function readLines(path: string, onLine: LineHandler, options: LineReadOptions = {}): Promise<LineReadResult> {
  // Opening a FIFO blocks until a writer comes; a device never ends.
  const special = notARegularFile(path);
  if (special) throw new InputError(path, undefined, special, 'pass the k6.json(.gz) written by `k6 run --out json=...`');
  const compressed = isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: BLOCK });
  // A deep readable buffer lets zlib (on the thread pool) inflate ahead while we parse.
  const source = compressed ? file.pipe(createGunzip({ chunkSize: 4 * BLOCK, readableHighWaterMark: 1 << 22 } as ZlibOptions)) : file;
  if (compressed) file.on('error', (err) => source.destroy(err));

  let lineNo = 0;
  // The start of a line that has no newline yet, as pieces: joined once when the line ends, so
  // a long line costs linear time (concatenating per piece was quadratic).
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lastProgress = 0;
  // Errors thrown by onLine are the caller's; they must not be mistaken for read errors.
  let callbackError: unknown;

  const emitBlock = (text: string): void => {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      lineNo++;
      try {
        onLine(text, start, end, lineNo);
      } catch (err) {
        callbackError = err;
        throw err;
      }
      start = nl + 1;
    }
  };

  const keep = (piece: Buffer): void => {
    carryBytes += piece.length;
    if (carryBytes > MAX_LINE_BYTES) {
      throw new InputError(
        path,
        lineNo + 1,
        `line is longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB, so this is not k6 NDJSON output (k6 writes one metric point of a few hundred bytes per line)`,
        'pass the k6.json(.gz) written by `k6 run --out json=...`',
      );
    }
    carry.push(Buffer.from(piece));
  };

  const takePiece = (piece: Buffer): void => {
    const lastNl = piece.lastIndexOf(NEWLINE);
    if (lastNl === -1) {
      keep(piece);
      return;
    }
    let from = 0;
    if (carry.length > 0) {
      // The first newline of this piece ends the carried line; the check above bounds its size.
      // That line is joined and decoded on its own, so the rest of the block is never copied.
      const firstNl = piece.indexOf(NEWLINE);
      if (carryBytes + firstNl > MAX_LINE_BYTES) keep(piece.subarray(0, firstNl));
      const joined = Buffer.concat([...carry, piece.subarray(0, firstNl + 1)]);
      carry = [];
      carryBytes = 0;
      emitBlock(joined.toString('utf8'));
      from = firstNl + 1;
    }
    if (lastNl + 1 < piece.length) keep(piece.subarray(lastNl + 1));
    if (from <= lastNl) emitBlock(piece.toString('utf8', from, lastNl + 1));
  };

  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      for (let pos = 0; pos < chunk.length; pos += BLOCK) takePiece(chunk.subarray(pos, Math.min(pos + BLOCK, chunk.length)));
      if (options.onProgress && file.bytesRead - lastProgress > 1 << 22) {
        lastProgress = file.bytesRead;
        options.onProgress(file.bytesRead);
      }
    }
  } catch (err) {
    if (err instanceof InputError || (callbackError !== undefined && err === callbackError)) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new InputError(path, undefined, 'file not found', 'check the run folder path');
    const truncated = e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message);
    const problem = truncated
      ? `gzip stream is truncated (unexpected end of file) after line ${lineNo}; the file was cut short (k6 killed, disk full or copy interrupted)`
      : `cannot read ${compressed ? 'gzip' : 'file'} after line ${lineNo}: ${e.message}`;
    if (options.lenient && compressed) {
      options.onProgress?.(file.bytesRead);
      // The partial tail after the cut is not a whole line: drop it, the caller counts it as bad.
      return { lines: lineNo, truncated: problem, compressed, partialTail: carryBytes > 0 };
    }
    throw new InputError(path, lineNo + 1, problem, 'pass --lenient to keep the points read before the cut, or re-run the test');
  }
  if (carryBytes > 0) {
    lineNo++;
    const text = Buffer.concat(carry).toString('utf8');
    onLine(text, 0, text.endsWith('\r') ? text.length - 1 : text.length, lineNo);
  }
  options.onProgress?.(file.bytesRead);
  return { lines: lineNo, compressed };
}
