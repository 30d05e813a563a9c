// A progress bar for big inputs, only when a person is watching (stderr is a TTY): CI logs and
// pipes stay clean.
import cliProgress from 'cli-progress';

export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };
const MIN_BYTES_FOR_BAR = 16 << 20;

export function progressFor(label: string, totalBytes: number): Progress {
  if (!process.stderr.isTTY || totalBytes < MIN_BYTES_FOR_BAR) return SILENT;
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} MB | eta {eta}s`, hideCursor: true }, cliProgress.Presets.shades_classic);
  const mb = (b: number) => Math.round(b / 1048576);
  bar.start(mb(totalBytes), 0);
  return { update: (b) => bar.update(mb(b)), stop: () => bar.stop() };
}
