// Inputs are read whole or streamed from regular files only: a FIFO blocks the reader forever,
// and a device such as /dev/zero or /dev/urandom never ends (readFileSync on it grows until the
// process dies of std::bad_alloc). Each reader asks here first and reports the answer as the
// user's mistake, with the path.
import { statSync } from 'node:fs';

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why `path` cannot be read as an input file, or undefined when it is a regular file (or missing: the caller says "not found"). */
export function notARegularFile(path: string): string | undefined {
  let st: import('node:fs').Stats;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  return st.isFile() ? undefined : `is ${kindOf(st)}, not a regular file, so it cannot be read as input`;
}
