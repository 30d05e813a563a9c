// Outputs are written to a temp file beside the destination and renamed into place, so a crash
// or a failed run never leaves a half-written report that a later step could mistake for a good
// one. The single-file step is write-file-atomic (unique temp names, fsync before the rename,
// clean-up on failure, the destination's mode kept): the project's one atomic-write module.

import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import { CliError } from '../errors.ts';
import { notARegularFile } from './input-file.ts';

type Content = string | Uint8Array;

const asBuffer = (content: Content): string | Buffer => (typeof content === 'string' || Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength));

/** Every writer passes here: a rename over /dev/null (as root) would replace the device with a file. */
function refuseUnsafe(path: string): void {
  if (notARegularFile(path)) throw new CliError(`${path}: exists and is not a regular file (a folder, device, FIFO or socket); nothing was written\n  fix: give a file path on disk`);
}

export function writeFileAtomic(path: string, content: Content): void {
  refuseUnsafe(path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicLib.sync(path, asBuffer(content));
}

/**
 * Writes several files so that either all appear or none: every file is written (atomically,
 * fsync'ed) under a staging name first; only when all staged files exist are they renamed into
 * place.
 */
export function writeFilesAtomic(files: ReadonlyArray<{ path: string; content: Content }>): void {
  for (const f of files) refuseUnsafe(f.path);
  const staged: Array<{ tmp: string; path: string }> = [];
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.staged`);
      staged.push({ tmp, path: f.path });
      writeFileAtomicLib.sync(tmp, asBuffer(f.content));
    }
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) renameSync(s.tmp, s.path);
}
