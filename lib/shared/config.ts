// Run configuration from environment variables (k6 `-e NAME=value` or the process env).
// Everything is validated up front in the init context, so a typo stops the run before any
// request is sent, with every problem listed at once.
import { type Env, EnvKnobs } from './env-knobs.ts';
import { parseWeightList, parseWeights } from './weighted.ts';

export type ApiLayout = 'gateway' | 'direct';
export type SigningMode = 'wallet' | 'local' | 'presigned';
export type Service = 'tenant' | 'wallet' | 'register' | 'validator';
export type ServiceUrls = Record<Service, string>;

export interface Credentials {
  orgName: string;
  orgSubdomain: string;
  adminEmail: string;
  adminName: string;
  /** ADMIN_PASSWORD, or undefined: then a k6 secret source or the local default (lib/k6/credentials.ts). */
  adminPassword: string | undefined;
}

export interface RunConfig {
  layout: ApiLayout;
  urls: ServiceUrls;
  /** True when every service URL is a loopback address (the local reference server). */
  loopback: boolean;
  credentials: Credentials;
  existingRegisterIds: string[];
  corridorWeights: number[];
  signing: SigningMode;
  /** SIGNING=presigned: absolute path of the file tools/presign/presign.ts wrote, and the entries reserved per iteration. */
  presigned?: { file: string; slotsPerIteration: number };
  payloadBytes: number;
  httpTimeout: string;
  /** Pause after each iteration, seconds (closed-model pacing). */
  thinkSeconds: number;
}

/** Default address of the local reference server (`npm run target`). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:5380';

/**
 * Documented defaults for the local reference server only. Against any other address the
 * password must come from ADMIN_PASSWORD or a k6 secret source (`admin_password`).
 */
export const LOCAL_REFERENCE_SERVER_DEFAULTS = {
  orgName: 'Ledger Perf',
  orgSubdomain: 'ledger-perf',
  adminEmail: 'perf-admin@ledger-perf.local',
  adminName: 'Perf Admin',
  adminPassword: 'PerfTest!2026',
} as const;

// Sorcha's services listen on these ports when addressed directly (register-api.md).
const DIRECT_PORTS: Record<Exclude<Service, 'wallet'>, number> = { tenant: 5450, register: 5380, validator: 5800 };

const PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[@$!%*?&]).{8,}$/;

/** The parts of an http(s) URL this suite uses; undefined when it is not one (see parseHttpUrl). */
export interface HttpUrl {
  scheme: 'http' | 'https';
  /** Lower-cased host name, IPv4 address, or bracketed IPv6 address. */
  host: string;
  port: number | undefined;
  /** Path (and query), '' when none; never ends with '/'. */
  path: string;
}

/**
 * A strict parser (k6 has no WHATWG URL): scheme, authority without userinfo, optional port,
 * path. Returns the reason when the value is not such a URL, so the error can say it.
 */
export function parseHttpUrl(value: string): HttpUrl | { error: string } {
  const m = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(value);
  if (!m) return { error: 'not an http(s) URL' };
  const authority = m[2]!;
  if (authority.includes('@')) return { error: 'it has user information before "@" (user:password@host); put credentials in ADMIN_PASSWORD or a k6 secret source, never in the URL' };
  const hm = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hm) return { error: `"${authority}" is not a host name or address with an optional :port` };
  const port = hm[2] === undefined ? undefined : Number(hm[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return { error: `port ${port} is outside 1-65535` };
  const rest = m[3]!;
  if (/[\s\\]/.test(rest)) return { error: 'the path contains spaces or backslashes' };
  if (rest.startsWith('?') || rest.startsWith('#')) return { error: 'a base URL has no query or fragment' };
  return { scheme: m[1]!.toLowerCase() as 'http' | 'https', host: hm[1]!.toLowerCase(), port, path: rest.replace(/\/+$/, '') };
}

export function isLoopbackUrl(url: string): boolean {
  const parsed = parseHttpUrl(url);
  if ('error' in parsed) return false;
  const host = parsed.host;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function parseUrl(value: string, envName: string, knobs: EnvKnobs): string {
  const parsed = parseHttpUrl(value.trim());
  if ('error' in parsed) {
    // A URL with user information may carry a password: that value is not echoed.
    if (value.includes('@')) knobs.add(`${envName} is not valid (value not shown): ${parsed.error}. Fix: an http(s) URL such as ${DEFAULT_BASE_URL}.`);
    else knobs.invalid(envName, value, `an http(s) URL such as ${DEFAULT_BASE_URL} (${parsed.error})`);
    return DEFAULT_BASE_URL;
  }
  return `${parsed.scheme}://${parsed.host}${parsed.port === undefined ? '' : `:${parsed.port}`}${parsed.path}`;
}

function withPort(baseUrl: string, port: number): string {
  const parsed = parseHttpUrl(baseUrl);
  return 'error' in parsed ? baseUrl : `${parsed.scheme}://${parsed.host}:${port}`;
}

function resolveUrls(knobs: EnvKnobs, layout: ApiLayout): ServiceUrls {
  const base = parseUrl(knobs.raw('BASE_URL') ?? DEFAULT_BASE_URL, 'BASE_URL', knobs);
  const override = (service: Service, fallback: string): string => {
    const name = `${service.toUpperCase()}_URL`;
    const value = knobs.raw(name);
    return value === undefined ? fallback : parseUrl(value, name, knobs);
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

/**
 * Reads the run configuration. Given an EnvKnobs, problems are recorded there so the caller can
 * add its own knobs' problems and list them all at once; given a plain env, any problem throws.
 */
export function loadConfig(source: Env | EnvKnobs): RunConfig {
  const knobs = source instanceof EnvKnobs ? source : new EnvKnobs(source);
  const layout = knobs.oneOf('API_LAYOUT', ['gateway', 'direct'] as const, 'gateway');
  const urls = resolveUrls(knobs, layout);
  const loopback = Object.values(urls).every(isLoopbackUrl);

  const pick = (name: string, fallback: string | undefined): string | undefined => knobs.raw(name) ?? (loopback ? fallback : undefined);
  const credentials: Credentials = {
    orgName: pick('ORG_NAME', LOCAL_REFERENCE_SERVER_DEFAULTS.orgName) ?? '',
    orgSubdomain: pick('ORG_SUBDOMAIN', LOCAL_REFERENCE_SERVER_DEFAULTS.orgSubdomain) ?? '',
    adminEmail: pick('ADMIN_EMAIL', LOCAL_REFERENCE_SERVER_DEFAULTS.adminEmail) ?? '',
    adminName: pick('ADMIN_NAME', LOCAL_REFERENCE_SERVER_DEFAULTS.adminName) ?? '',
    // Never defaulted here: the default password needs the server to identify itself (lib/k6/credentials.ts).
    adminPassword: knobs.raw('ADMIN_PASSWORD'),
  };
  if (!loopback) {
    for (const [key, envName] of [
      ['orgName', 'ORG_NAME'],
      ['orgSubdomain', 'ORG_SUBDOMAIN'],
      ['adminEmail', 'ADMIN_EMAIL'],
      ['adminName', 'ADMIN_NAME'],
    ] as const) {
      if (credentials[key] === '') knobs.add(`${envName} is required when the system under test is not on loopback (the defaults apply only to the local reference server). Fix: set ${envName}.`);
    }
  }
  if (credentials.orgName !== '' && (credentials.orgName.length < 3 || credentials.orgName.length > 100)) {
    knobs.invalid('ORG_NAME', credentials.orgName, '3 to 100 characters such as "Ledger Perf"');
  }
  if (credentials.orgSubdomain !== '' && !/^[a-z0-9-]{3,50}$/.test(credentials.orgSubdomain)) {
    knobs.invalid('ORG_SUBDOMAIN', credentials.orgSubdomain, '3 to 50 lowercase letters, digits or hyphens such as ledger-perf');
  }
  if (credentials.adminEmail !== '' && !/^[^@\s]+@[^@\s]+$/.test(credentials.adminEmail)) {
    knobs.invalid('ADMIN_EMAIL', credentials.adminEmail, 'an email address such as perf-admin@example.com');
  }
  // The password itself is never echoed back in an error message.
  if (credentials.adminPassword !== undefined && !PASSWORD_RULE.test(credentials.adminPassword)) {
    knobs.add('ADMIN_PASSWORD is not valid (value not shown): expected at least 8 characters with an upper-case letter, a lower-case letter, a digit and one of @$!%*?&');
  }

  const existingRegisterIds = knobs.list('REGISTER_ID', 'comma-separated register ids (32 lowercase hex characters each)', (id) => (/^[0-9a-f]{32}$/.test(id) ? id : undefined)) ?? [];
  const corridorRaw = knobs.raw('CORRIDOR_WEIGHTS');
  const corridorWeights = existingRegisterIds.length > 0 && corridorRaw === undefined ? existingRegisterIds.map(() => 1) : parseWeightList(corridorRaw ?? '40,25,20,15', 'CORRIDOR_WEIGHTS', knobs);
  if (existingRegisterIds.length > 0 && corridorWeights.length !== existingRegisterIds.length) {
    knobs.invalid('CORRIDOR_WEIGHTS', corridorRaw ?? '', `one weight per register: REGISTER_ID lists ${existingRegisterIds.length}`);
  }
  if (corridorWeights.length > 16) knobs.invalid('CORRIDOR_WEIGHTS', corridorRaw ?? '', 'at most 16 weights (one register each)');

  const signing = knobs.oneOf('SIGNING', ['wallet', 'local', 'presigned'] as const, 'wallet');
  let presigned: RunConfig['presigned'];
  if (signing === 'presigned') {
    const file = knobs.raw('PRESIGNED_FILE');
    // k6's open() resolves a relative path against the script, not the shell's directory.
    if (file === undefined || !file.startsWith('/')) {
      knobs.invalid('PRESIGNED_FILE', file ?? '', 'the absolute path of a file written by tools/presign/presign.ts (SIGNING=presigned needs it)');
    }
    const slotsPerIteration = knobs.number('PRESIGNED_SLOTS', { integer: true, min: 1, max: 64, example: '1' }, 1);
    presigned = { file: file ?? '', slotsPerIteration };
  }
  const payloadBytes = knobs.number('PAYLOAD_BYTES', { integer: true, min: 64, max: 10 * 1024 * 1024, example: '512' }, 512);
  const httpTimeout = knobs.raw('HTTP_TIMEOUT') ?? '30s';
  if (!/^\d+(ms|s|m)$/.test(httpTimeout)) knobs.invalid('HTTP_TIMEOUT', httpTimeout, 'a duration such as 30s or 500ms');
  const thinkSeconds = knobs.number('THINK_TIME', { min: 0, max: 60, example: '0.5 (seconds)' }, 0);

  if (!(source instanceof EnvKnobs)) knobs.throwIfAny();
  return { layout, urls, loopback, credentials, existingRegisterIds, corridorWeights, signing, ...(presigned ? { presigned } : {}), payloadBytes, httpTimeout, thinkSeconds };
}

/** Parses the MIX override for a workload's operation weights (JSON object). */
export function loadMix<K extends string>(source: Env | EnvKnobs, defaults: Readonly<Record<K, number>>): Record<K, number> {
  const knobs = source instanceof EnvKnobs ? source : new EnvKnobs(source);
  const raw = knobs.raw('MIX');
  const mix = raw === undefined ? { ...defaults } : parseWeights(raw, 'MIX', defaults, knobs);
  if (!(source instanceof EnvKnobs)) knobs.throwIfAny();
  return mix;
}
