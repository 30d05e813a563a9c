// Headless Chromium (Debian `chromium`) for pictures of pages the suite writes, such as k6's
// exported dashboard.html. Throws with the install command when Chromium is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';

export function chromiumBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') throw new Error(`chromium is not installed; the screenshot is made with the real one. Install it: ${CHROMIUM_INSTALL}`);
  return path;
}

/** Width and height from a PNG's IHDR chunk; throws when `png` is not a PNG. */
/** Headless Chromium on this closed network: no background connections, a fresh profile. */
export function headlessChromiumFlags(profileDir: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profileDir}`];
}

export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Renders `htmlFile` offline in headless Chromium and writes a PNG of the window to `pngFile`. */
export function screenshot(htmlFile: string, pngFile: string, width = 1400, height = 1800): void {
  const profile = mkdtempSync(join(tmpdir(), 'ledger-chromium-'));
  try {
    const r = spawnSync(
      chromiumBinary(),
      [
        ...headlessChromiumFlags(profile),
        '--hide-scrollbars',
        `--window-size=${width},${height}`,
        // The page draws its charts with scripts after load: give them (virtual) time.
        '--virtual-time-budget=10000',
        `--screenshot=${pngFile}`,
        pathToFileURL(htmlFile).href,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0 || !existsSync(pngFile)) throw new Error(`chromium made no screenshot (exit ${r.status ?? r.signal}):\n${r.stderr}`);
    pngSize(readFileSync(pngFile));
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
