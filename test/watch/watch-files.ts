// The watched-session files of the repo (docker-compose.yml, watch/), read the way Grafana and
// Compose read them, for the tests of this folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../helpers/paths.ts';

export const WATCH_DIR = join(projectRoot, 'watch');
export const DASHBOARD_DIR = join(WATCH_DIR, 'grafana', 'dashboards');
export const PROMETHEUS_CONFIG = join(WATCH_DIR, 'prometheus', 'prometheus.yml');
export const DATASOURCES_FILE = join(WATCH_DIR, 'grafana', 'provisioning', 'datasources', 'prometheus.yml');
export const DASHBOARD_PROVIDERS_FILE = join(WATCH_DIR, 'grafana', 'provisioning', 'dashboards', 'ledger-perf.yml');
export const COMPOSE_FILE = join(projectRoot, 'docker-compose.yml');
/** The scrape target docker-compose.yml gives the reference server; tests swap in their own. */
export const COMPOSE_SERVER_TARGET = 'reference-server:5380';

export function readYaml<T>(path: string): T {
  return parseYaml(readFileSync(path, 'utf8')) as T;
}

export interface DatasourceRef {
  type?: string;
  uid?: string;
}
export interface Target {
  refId: string;
  expr?: string;
  datasource?: DatasourceRef;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  gridPos: { h: number; w: number; x: number; y: number };
  panels?: Panel[];
}
export interface Variable {
  name: string;
  type: string;
  datasource?: DatasourceRef;
  query?: { query: string } | string;
  includeAll?: boolean;
  allValue?: string;
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  gnetId?: unknown;
}

export function dashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, f), 'utf8')) as Dashboard }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function variableQuery(v: Variable): string {
  return typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
}

/** Grafana's own variables a query may use. */
export const BUILTIN_VARIABLES = ['__rate_interval', '__interval', '__range'];

/** Names of the $variables used in `text` ($x and ${x} forms). */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1]!);
}

/** `expr` with each $variable replaced the way Grafana would for the given values. */
export function fillVariables(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for $${name} in ${expr}`);
    return v;
  });
}
