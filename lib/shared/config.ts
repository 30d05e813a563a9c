// Run configuration from environment variables (k6 `-e NAME=value` or the process env).
// Everything is validated up front in the init context, so a typo stops the run before any
// request is sent, with every problem listed at once.
import { ProblemList } from './config-errors.ts';
import { parseWeightList, parseWeights } from './weighted.ts';

export type ApiLayout = 'gateway' | 'direct';
export type SigningMode = 'wallet' | 'local';
export type Service = 'tenant' | 'wallet' | 'register' | 'validator';
export type ServiceUrls = Record<Service, string>;

export interface Credentials {
  orgName: string;
  orgSubdomain: string;
  adminEmail: string;
  adminName: string;
  /** Undefined when it must come from a k6 secret source (resolved in setup). */
  adminPassword: string | undefined;
}

export interface RunConfig {
  layout: ApiLayout;
  urls: ServiceUrls;
  /** True when every service URL is a loopback address (the local reference target). */
  loopback: boolean;
  credentials: Credentials;
  existingRegisterIds: string[];
  corridorWeights: number[];
  signing: SigningMode;
  payloadBytes: number;
  httpTimeout: string;
  /** Pause after each iteration, seconds (closed-model pacing). */
  thinkSeconds: number;
}

type Env = Record<string, string | undefined>;

/** Default address of the reference target (`npm run target`). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:5380';

/**
 * Documented defaults for the local reference target only. Against any other address the
 * password must come from ADMIN_PASSWORD or a k6 secret source (`admin_password`).
 */
export const LOCAL_TARGET_DEFAULTS = {
  orgName: 'Ledger Perf',
  orgSubdomain: 'ledger-perf',
  adminEmail: 'perf-admin@ledger-perf.local',
  adminName: 'Perf Admin',
  adminPassword: 'PerfTest!2026',
} as const;

// Sorcha's services listen on these ports when addressed directly (register-api.md).
const DIRECT_PORTS: Record<Exclude<Service, 'wallet'>, number> = { tenant: 5450, register: 5380, validator: 5800 };

const PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[@$!%*?&]).{8,}$/;

export function isLoopbackUrl(url: string): boolean {
  const m = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url);
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function parseUrl(value: string, envName: string, problems: ProblemList): string {
  const trimmed = value.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(trimmed)) {
    problems.add(`${envName}: expected an http(s) URL like ${DEFAULT_BASE_URL}, got ${JSON.stringify(value)}`);
  }
  return trimmed;
}

function withPort(baseUrl: string, port: number): string {
  const m = /^(https?:\/\/)(\[[^\]]+\]|[^/:]+)/i.exec(baseUrl);
  return m ? `${m[1]}${m[2]}:${port}` : baseUrl;
}

function resolveUrls(env: Env, layout: ApiLayout, problems: ProblemList): ServiceUrls {
  const base = parseUrl(env.BASE_URL ?? DEFAULT_BASE_URL, 'BASE_URL', problems);
  const override = (service: Service, fallback: string): string => {
    const name = `${service.toUpperCase()}_URL`;
    const value = env[name];
    return value === undefined || value === '' ? fallback : parseUrl(value, name, problems);
  };
  if (layout === 'gateway') {
    return {
      tenant: override('tenant', base),
      wallet: override('wallet', base),
      register: override('register', base),
      validator: override('validator', base),
    };
  }
  // Direct layout: each service on its own port; wallets are only reachable through the gateway.
  return {
    tenant: override('tenant', withPort(base, DIRECT_PORTS.tenant)),
    wallet: override('wallet', base),
    register: override('register', withPort(base, DIRECT_PORTS.register)),
    validator: override('validator', withPort(base, DIRECT_PORTS.validator)),
  };
}

function oneOf<T extends string>(value: string | undefined, envName: string, valid: readonly T[], fallback: T, problems: ProblemList): T {
  if (value === undefined || value === '') return fallback;
  if ((valid as readonly string[]).includes(value)) return value as T;
  problems.add(`${envName}: ${JSON.stringify(value)} is not valid; valid values: ${valid.join(', ')}`);
  return fallback;
}

function integerIn(value: string | undefined, envName: string, min: number, max: number, fallback: number, problems: ProblemList): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.add(`${envName}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return n;
}

export function loadConfig(env: Env): RunConfig {
  const problems = new ProblemList();
  const layout = oneOf(env.API_LAYOUT, 'API_LAYOUT', ['gateway', 'direct'] as const, 'gateway', problems);
  const urls = resolveUrls(env, layout, problems);
  const loopback = Object.values(urls).every(isLoopbackUrl);

  const pick = (name: string, fallback: string | undefined): string | undefined =>
    env[name] !== undefined && env[name] !== '' ? env[name] : loopback ? fallback : undefined;
  const credentials: Credentials = {
    orgName: pick('ORG_NAME', LOCAL_TARGET_DEFAULTS.orgName) ?? '',
    orgSubdomain: pick('ORG_SUBDOMAIN', LOCAL_TARGET_DEFAULTS.orgSubdomain) ?? '',
    adminEmail: pick('ADMIN_EMAIL', LOCAL_TARGET_DEFAULTS.adminEmail) ?? '',
    adminName: pick('ADMIN_NAME', LOCAL_TARGET_DEFAULTS.adminName) ?? '',
    adminPassword: pick('ADMIN_PASSWORD', LOCAL_TARGET_DEFAULTS.adminPassword),
  };
  if (!loopback) {
    for (const [key, envName] of [['orgName', 'ORG_NAME'], ['orgSubdomain', 'ORG_SUBDOMAIN'], ['adminEmail', 'ADMIN_EMAIL'], ['adminName', 'ADMIN_NAME']] as const) {
      if (credentials[key] === '') problems.add(`${envName}: required when the target is not on loopback (defaults apply only to the local reference target)`);
    }
  }
  if (credentials.orgName !== '' && (credentials.orgName.length < 3 || credentials.orgName.length > 100)) {
    problems.add('ORG_NAME: must be 3 to 100 characters');
  }
  if (credentials.orgSubdomain !== '' && !/^[a-z0-9-]{3,50}$/.test(credentials.orgSubdomain)) {
    problems.add('ORG_SUBDOMAIN: must be 3 to 50 lowercase letters, digits or hyphens');
  }
  if (credentials.adminEmail !== '' && !/^[^@\s]+@[^@\s]+$/.test(credentials.adminEmail)) {
    problems.add('ADMIN_EMAIL: not an email address');
  }
  // The password itself is never echoed back in an error message.
  if (credentials.adminPassword !== undefined && !PASSWORD_RULE.test(credentials.adminPassword)) {
    problems.add('ADMIN_PASSWORD: must be at least 8 characters with an upper-case letter, a lower-case letter, a digit and one of @$!%*?&');
  }

  const existingRegisterIds = (env.REGISTER_ID ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const id of existingRegisterIds) {
    if (!/^[0-9a-f]{32}$/.test(id)) problems.add(`REGISTER_ID: ${JSON.stringify(id)} is not a register id (32 lowercase hex characters); separate several with commas`);
  }
  const corridorWeights =
    existingRegisterIds.length > 0 && env.CORRIDOR_WEIGHTS === undefined
      ? existingRegisterIds.map(() => 1)
      : parseWeightList(env.CORRIDOR_WEIGHTS ?? '40,25,20,15', 'CORRIDOR_WEIGHTS', problems);
  if (existingRegisterIds.length > 0 && corridorWeights.length !== existingRegisterIds.length) {
    problems.add(`CORRIDOR_WEIGHTS: has ${corridorWeights.length} weights but REGISTER_ID lists ${existingRegisterIds.length} registers; give one weight per register`);
  }
  if (corridorWeights.length > 16) problems.add('CORRIDOR_WEIGHTS: at most 16 corridors (one register each)');

  const signing = oneOf(env.SIGNING, 'SIGNING', ['wallet', 'local'] as const, 'wallet', problems);
  const payloadBytes = integerIn(env.PAYLOAD_BYTES, 'PAYLOAD_BYTES', 64, 10 * 1024 * 1024, 512, problems);
  const httpTimeout = env.HTTP_TIMEOUT ?? '30s';
  if (!/^\d+(ms|s|m)$/.test(httpTimeout)) problems.add(`HTTP_TIMEOUT: expected a duration like 30s or 500ms, got ${JSON.stringify(httpTimeout)}`);

  const thinkSeconds = env.THINK_TIME === undefined || env.THINK_TIME === '' ? 0 : Number(env.THINK_TIME);
  if (!Number.isFinite(thinkSeconds) || thinkSeconds < 0 || thinkSeconds > 60) {
    problems.add(`THINK_TIME: expected seconds from 0 to 60, got ${JSON.stringify(env.THINK_TIME)}`);
  }

  problems.throwIfAny();
  return { layout, urls, loopback, credentials, existingRegisterIds, corridorWeights, signing, payloadBytes, httpTimeout, thinkSeconds };
}

/** Parses the MIX override for a workload's operation weights (JSON object). */
export function loadMix<K extends string>(env: Env, defaults: Readonly<Record<K, number>>): Record<K, number> {
  if (env.MIX === undefined || env.MIX === '') return { ...defaults };
  const problems = new ProblemList();
  const mix = parseWeights(env.MIX, 'MIX', defaults, problems);
  problems.throwIfAny();
  return mix;
}
