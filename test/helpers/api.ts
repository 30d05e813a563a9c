// A minimal Node-side client of the register API for asserting on what a k6 run left behind.
import { LOCAL_REFERENCE_SERVER_DEFAULTS } from '../../lib/shared/config.ts';

export async function loginAsDefaultAdmin(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/service-auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: LOCAL_REFERENCE_SERVER_DEFAULTS.adminEmail, password: LOCAL_REFERENCE_SERVER_DEFAULTS.adminPassword }),
  });
  if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function getJson<T>(baseUrl: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Docket {
  id: number | string;
  transactionIds: string[];
}

/** Transactions sealed in dockets after genesis, over every register of the organisation. */
export async function sealedTransactionCount(baseUrl: string, token: string): Promise<{ registers: number; sealed: number }> {
  const registers = await getJson<Array<{ id?: string; registerId?: string }>>(baseUrl, '/api/registers', token);
  let sealed = 0;
  for (const r of registers) {
    const id = r.id ?? r.registerId!;
    const dockets = await getJson<Docket[]>(baseUrl, `/api/registers/${id}/dockets`, token);
    for (const d of dockets) if (Number(d.id) !== 0) sealed += d.transactionIds.length;
  }
  return { registers: registers.length, sealed };
}

/** Polls `probe` until it returns true or the deadline passes; the eventual state is the assertion. */
export async function eventually(probe: () => Promise<boolean>, deadlineMs: number, intervalMs = 100): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return probe();
}
