// k6's web dashboard for runner runs: dashboard.html is exported for every run, and with
// LIVE_DASHBOARD set the dashboard is also served on loopback while the run lasts.
//
// The snapshot period: k6 exports dashboard.html only after two snapshot periods, and stretches
// the period itself so a run never has more than 2880 snapshots (a multiple of the base period
// near planned duration / 2880). Its charts place points by the second, so periods under a second
// draw as spikes: 1 s for runs planned to last, 100 ms for short or iteration-bounded ones (a smoke
// run is over in well under two seconds) so that they still export.
import { PROFILES } from '../../lib/shared/profiles/catalog.ts';
import { type ProfileEnv, readKnobs } from '../../lib/shared/profiles/env.ts';
import { scheduleProfile } from '../../lib/shared/profiles/schedule.ts';

export const DEFAULT_LIVE_PORT = 5665;
export const SHORT_RUN_PERIOD = '100ms';
export const LONG_RUN_PERIOD = '1s';
/** Runs planned shorter than this get the short period. */
const SHORT_RUN_SECONDS = 30;

/** The base snapshot period for a run of `profile` with the run's -e variables. */
export function basePeriod(profile: string, env: ProfileEnv): string {
  const def = PROFILES[profile];
  if (!def) return SHORT_RUN_PERIOD; // k6 itself will reject the unknown profile
  try {
    const plan = scheduleProfile(profile, def, readKnobs(env));
    const iterationBound = plan.steps.some((s) => s.shape.executor === 'shared-iterations');
    return iterationBound || plan.totalSeconds < SHORT_RUN_SECONDS ? SHORT_RUN_PERIOD : LONG_RUN_PERIOD;
  } catch {
    return SHORT_RUN_PERIOD; // bad knobs: k6 reports them with the fix
  }
}

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
export function webDashboardEnv(exportFile: string, livePort: number | undefined, period: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    K6_WEB_DASHBOARD: env.K6_WEB_DASHBOARD ?? 'true',
    // -1: no dashboard web server (nothing listens, runs can overlap); export only.
    K6_WEB_DASHBOARD_PORT: livePort !== undefined ? String(livePort) : (env.K6_WEB_DASHBOARD_PORT ?? '-1'),
    ...(livePort !== undefined ? { K6_WEB_DASHBOARD_HOST: '127.0.0.1' } : {}),
    K6_WEB_DASHBOARD_PERIOD: env.K6_WEB_DASHBOARD_PERIOD ?? period,
    K6_WEB_DASHBOARD_EXPORT: exportFile,
  };
}
