// Settings of the target from command-line flags and environment variables (a flag wins).
// Any bad value is a ConfigError naming the flag or variable and the accepted form.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type SqliteSync = 'normal' | 'full';

export interface TargetConfig {
  host: string;
  port: number;
  dataDir: string;
  docketTimeMs: number;
  docketSize: number;
  docketMaxTransactions: number;
  mempoolMax: number;
  tokenTtlSeconds: number;
  sqliteSync: SqliteSync;
  verifyThreads: number;
  logLevel: LogLevel;
  /** From TARGET_JWT_SECRET only (never a flag: flags show up in process listings). */
  jwtSecret: Buffer | undefined;
  faultLatencyMs: number;
  faultErrorRate: number;
  faultDropRate: number;
}

export class ConfigError extends Error {}

interface Setting {
  key: keyof TargetConfig;
  flag: string;
  env: string;
  form: string;
  help: string;
  parse: (text: string) => unknown;
}

function integer(min: number, max: number) {
  return (text: string) => {
    if (!/^\d+$/.test(text.trim())) return undefined;
    const n = Number(text);
    return n >= min && n <= max ? n : undefined;
  };
}
function fraction(text: string) {
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(text.trim())) return undefined;
  return Number(text);
}
function oneOf<T extends string>(...values: T[]) {
  return (text: string) => (values.includes(text as T) ? text : undefined);
}
function nonEmpty(text: string) {
  return text.length > 0 ? text : undefined;
}

export const SETTINGS: readonly Setting[] = [
  { key: 'host', flag: '--host', env: 'TARGET_HOST', form: 'a host name or IP address', help: 'address to listen on (default 127.0.0.1)', parse: nonEmpty },
  { key: 'port', flag: '--port', env: 'TARGET_PORT', form: 'an integer 0..65535 (0 = any free port)', help: 'TCP port (default 5380)', parse: integer(0, 65535) },
  { key: 'dataDir', flag: '--data-dir', env: 'TARGET_DATA_DIR', form: 'a directory path', help: 'where the SQLite database lives (default: a new temp dir)', parse: nonEmpty },
  { key: 'docketTimeMs', flag: '--docket-time-ms', env: 'TARGET_DOCKET_TIME_MS', form: 'an integer 10..3600000', help: 'seal pending transactions after this long (default 10000)', parse: integer(10, 3_600_000) },
  { key: 'docketSize', flag: '--docket-size', env: 'TARGET_DOCKET_SIZE', form: 'an integer 1..100', help: 'seal as soon as this many transactions are pending (default 50)', parse: integer(1, 100) },
  { key: 'docketMaxTransactions', flag: '--docket-max-tx', env: 'TARGET_DOCKET_MAX_TX', form: 'an integer 1..100', help: 'most transactions in one docket (default 100)', parse: integer(1, 100) },
  { key: 'mempoolMax', flag: '--mempool-max', env: 'TARGET_MEMPOOL_MAX', form: 'an integer 1..10000000', help: 'unsealed transactions per register before 409 "pool full" (default 100000)', parse: integer(1, 10_000_000) },
  { key: 'tokenTtlSeconds', flag: '--token-ttl-s', env: 'TARGET_TOKEN_TTL_S', form: 'an integer 1..86400', help: 'access token lifetime (default 3600)', parse: integer(1, 86_400) },
  { key: 'sqliteSync', flag: '--sqlite-sync', env: 'TARGET_SQLITE_SYNC', form: '"normal" or "full"', help: 'normal survives process crashes, full also power loss (default normal)', parse: oneOf('normal', 'full') },
  { key: 'verifyThreads', flag: '--verify-threads', env: 'TARGET_VERIFY_THREADS', form: 'an integer 0..16', help: 'worker threads verifying Ed25519 signatures, 0 = on the event loop (default 0)', parse: integer(0, 16) },
  { key: 'logLevel', flag: '--log-level', env: 'TARGET_LOG_LEVEL', form: 'error, warn, info or debug', help: 'stderr log level (default warn)', parse: oneOf('error', 'warn', 'info', 'debug') },
  { key: 'faultLatencyMs', flag: '--fault-latency-ms', env: 'TARGET_FAULT_LATENCY_MS', form: 'an integer 0..60000', help: 'fault: add this latency to every /api request (default 0)', parse: integer(0, 60_000) },
  { key: 'faultErrorRate', flag: '--fault-error-rate', env: 'TARGET_FAULT_ERROR_RATE', form: 'a number 0..1', help: 'fault: answer this fraction of /api requests 503 (default 0)', parse: fraction },
  { key: 'faultDropRate', flag: '--fault-drop-rate', env: 'TARGET_FAULT_DROP_RATE', form: 'a number 0..1', help: 'fault: close the connection without answering for this fraction (default 0)', parse: fraction },
];

export const DEFAULTS: Omit<TargetConfig, 'dataDir' | 'jwtSecret'> = {
  host: '127.0.0.1',
  port: 5380,
  docketTimeMs: 10_000,
  docketSize: 50,
  docketMaxTransactions: 100,
  mempoolMax: 100_000,
  tokenTtlSeconds: 3600,
  sqliteSync: 'normal',
  verifyThreads: 0,
  logLevel: 'warn',
  faultLatencyMs: 0,
  faultErrorRate: 0,
  faultDropRate: 0,
};

export function usage(): string {
  const lines = SETTINGS.map((s) => `  ${`${s.flag} <value>`.padEnd(28)} ${s.help}; ${s.form} [env ${s.env}]`);
  return [
    'Usage: node --import tsx reference-server/main.ts [options]',
    '',
    'Reference register target speaking the Sorcha register API.',
    '',
    'Options (a flag wins over its environment variable):',
    ...lines,
    '  --help                       print this help',
    '',
    'Environment only: TARGET_JWT_SECRET (at least 32 characters; random per start when unset).',
  ].join('\n');
}

export type ParsedArgs = { help: true } | { help: false; config: TargetConfig };

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const setting = SETTINGS.find((s) => s.flag === name);
    if (setting === undefined) throw new ConfigError(`unknown option ${JSON.stringify(name)}. Run with --help to list the options.`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new ConfigError(`${setting.flag} needs a value: ${setting.form}.`);
    fromFlags.set(setting.flag, value);
  }

  const values: Record<string, unknown> = { ...DEFAULTS };
  for (const s of SETTINGS) {
    const flagValue = fromFlags.get(s.flag);
    const envValue = env[s.env];
    const [source, text] = flagValue !== undefined ? [s.flag, flagValue] : envValue !== undefined && envValue !== '' ? [`environment variable ${s.env}`, envValue] : [undefined, undefined];
    if (source === undefined || text === undefined) continue;
    const parsed = s.parse(text);
    if (parsed === undefined) throw new ConfigError(`${source} must be ${s.form}; got ${JSON.stringify(text)}.`);
    values[s.key] = parsed;
  }

  let jwtSecret: Buffer | undefined;
  const secretText = env.TARGET_JWT_SECRET;
  if (secretText !== undefined && secretText !== '') {
    // The value itself is never echoed: it is a secret.
    if (secretText.length < 32) throw new ConfigError(`environment variable TARGET_JWT_SECRET must be at least 32 characters long (it has ${secretText.length}).`);
    jwtSecret = Buffer.from(secretText, 'utf8');
  }
  if (values.docketMaxTransactions !== undefined && (values.docketSize as number) > (values.docketMaxTransactions as number)) {
    throw new ConfigError(`--docket-size (${values.docketSize}) must not exceed --docket-max-tx (${values.docketMaxTransactions}).`);
  }
  const dataDir = (values.dataDir as string | undefined) ?? mkdtempSync(join(tmpdir(), 'ledger-target-'));
  return { help: false, config: { ...(values as Omit<TargetConfig, 'dataDir' | 'jwtSecret'>), dataDir, jwtSecret } };
}
