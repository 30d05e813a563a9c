// Where the CLI may write: an output folder or file is checked before any work is done, so a
// mistyped --out is reported as the user's mistake (path, reason, fix), never as "unexpected
// error", and a path on a kernel filesystem (/proc, /sys, /dev) is refused instead of being
// written into, which can block or change the system. Files are written by rename (atomic-write),
// which as root would replace a device node such as /dev/null with a regular file: an existing
// destination that is not a regular file is refused.
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { CliError } from '../errors.ts';

const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/** The nearest ancestor of `path` (itself included) that exists, with symlinks resolved. */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p)) {
    const parent = dirname(p);
    if (parent === p) return p;
    p = parent;
  }
  return realpathSync(p);
}

function refuse(option: string, dir: string, reason: string, fix: string): never {
  throw new CliError(`${option} ${dir}: ${reason}\n  fix: ${fix}`);
}

function kernelFilesystemOf(existing: string): string | undefined {
  return KERNEL_FILESYSTEMS.find((k) => existing === k || existing.startsWith(k + sep));
}

/**
 * Why a file cannot be written at `path` (undefined when it can): on a kernel filesystem, an
 * existing folder, device, FIFO or socket there, or a parent that is a file.
 */
export function outputFileProblem(path: string): { reason: string; fix: string } | undefined {
  const abs = resolve(path);
  const existing = nearestExisting(abs);
  const kernel = kernelFilesystemOf(existing);
  if (kernel) return { reason: `is on the kernel's ${kernel} filesystem, not a place for report files`, fix: 'choose a file on disk, or leave the option out to write nothing' };
  if (existing === abs) {
    const st = statSync(abs); // follows a symlink to what a write would reach
    if (st.isDirectory()) return { reason: 'is a folder, not a file', fix: 'give a file path, e.g. reports/compare.md' };
    if (!st.isFile()) return { reason: 'exists and is not a regular file (a device, FIFO or socket): writing would replace or block on it', fix: 'give a file path on disk' };
    return undefined;
  }
  if (!statSync(existing).isDirectory()) return { reason: `${existing} is a file, so no file can be made below it`, fix: 'give a path whose parents are folders' };
  return undefined;
}

/** Checks an output file path (its folders are created when written); throws CliError (exit 2) when no file can be written there. */
export function prepareOutputFile(file: string, option: string): string {
  const problem = outputFileProblem(file);
  if (problem) refuse(option, file, problem.reason, problem.fix);
  return resolve(file);
}

/** Resolves and creates (if needed) an output folder; throws CliError (exit 2) when it cannot be one. */
export function prepareOutputDir(dir: string, option = '--out'): string {
  const abs = resolve(dir);
  const existing = nearestExisting(abs);
  const kernel = kernelFilesystemOf(existing);
  if (kernel) refuse(option, dir, `is on the kernel's ${kernel} filesystem, not a place for report files`, 'choose a folder on disk, e.g. reports/my-run');
  if (existing === abs && !statSync(abs).isDirectory()) refuse(option, dir, 'is a file, not a folder', 'give a folder path (it is created when missing)');
  if (existing !== abs && !statSync(existing).isDirectory()) refuse(option, dir, `${existing} is a file, so no folder can be made below it`, 'give a folder path whose parents are folders');
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EROFS: 'read-only filesystem',
      ENOSPC: 'no space left on the device',
      ENOTDIR: 'a parent is not a folder',
    };
    refuse(option, dir, `cannot be written (${why[code] ?? code})`, 'choose a folder you can write to');
  }
  return abs;
}
