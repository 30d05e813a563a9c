// k6's web dashboard for runner runs: dashboard.html is exported for every run, and with
// LIVE_DASHBOARD set the dashboard is also served on loopback while the run lasts.
//
// Why the short base period: k6 exports dashboard.html only after two snapshot periods, and it
// stretches the period itself so a run never has more than 2880 snapshots (the period becomes
// a multiple of the base period near planned duration / 2880). A 100 ms base lets runs of a
// fraction of a second export, while a one-hour run still gets about 1.3 s periods.

export const DEFAULT_LIVE_PORT = 5665;
export const BASE_PERIOD = '100ms';

/**
 * LIVE_DASHBOARD: unset, "", "0", "false" = off; "1", "true" = on at 5665; a port number = on there.
 * Throws with the variable's name on anything else.
 */
export function liveDashboardPort(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.LIVE_DASHBOARD?.trim();
  if (raw === undefined || raw === '' || raw === '0' || raw.toLowerCase() === 'false') return undefined;
  if (raw === '1' || raw.toLowerCase() === 'true') return DEFAULT_LIVE_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`LIVE_DASHBOARD=${JSON.stringify(raw)} is not valid. Fix: LIVE_DASHBOARD=1 (port ${DEFAULT_LIVE_PORT}) or a port number 1024..65535, or unset it`);
  }
  return port;
}

export function liveDashboardUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Environment for k6: export to `exportFile`; serve on 127.0.0.1:`livePort` when given. */
export function webDashboardEnv(exportFile: string, livePort: number | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    K6_WEB_DASHBOARD: env.K6_WEB_DASHBOARD ?? 'true',
    // -1: no dashboard web server (nothing listens, runs can overlap); export only.
    K6_WEB_DASHBOARD_PORT: livePort !== undefined ? String(livePort) : (env.K6_WEB_DASHBOARD_PORT ?? '-1'),
    ...(livePort !== undefined ? { K6_WEB_DASHBOARD_HOST: '127.0.0.1' } : {}),
    K6_WEB_DASHBOARD_PERIOD: env.K6_WEB_DASHBOARD_PERIOD ?? BASE_PERIOD,
    K6_WEB_DASHBOARD_EXPORT: exportFile,
  };
}
