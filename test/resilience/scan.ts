// Looks for secrets in everything a run produced: every file under a folder (gzip ones
// decompressed) plus captured stdout/stderr. A hit is a given secret value, or any JWT-shaped
// string (the server's tokens are JWTs: base64url header "eyJ…" . payload "eyJ…" . signature).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g;

export interface Hit {
  where: string;
  what: string;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

export function scanText(where: string, text: string, secrets: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const s of secrets) if (text.includes(s)) hits.push({ where, what: `secret value ${s.slice(0, 3)}…` });
  for (const m of text.matchAll(JWT_SHAPE)) hits.push({ where, what: `JWT-shaped string ${m[0].slice(0, 12)}…` });
  return hits;
}

/** Scans every file under `dir`; returns the hits and how many files were read. */
export function scanFolder(dir: string, secrets: readonly string[]): { hits: Hit[]; files: number } {
  const files = filesUnder(dir);
  const hits: Hit[] = [];
  for (const file of files) {
    let bytes = readFileSync(file);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
    hits.push(...scanText(file, bytes.toString('utf8'), secrets));
  }
  return { hits, files: files.length };
}
