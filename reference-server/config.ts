// Settings of the reference server from command-line flags and environment variables (a flag
// wins). Flags are parsed by commander; values are checked here, every problem is collected, and
// they come back as the project's one ConfigError in its one wording
// (`--port="abc" is not valid: expected an integer 0..65535 …`).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, invalidValue } from '../lib/shared/env-knobs.ts';

export { ConfigError } from '../lib/shared/env-knobs.ts';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type SqliteSync = 'normal' | 'full';

export interface ReferenceServerConfig {
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
  /** From REFERENCE_SERVER_JWT_SECRET (or TARGET_JWT_SECRET) only: flags show up in process listings. */
  jwtSecret: Buffer | undefined;
  faultLatencyMs: number;
  faultErrorRate: number;
  faultDropRate: number;
}

interface Setting {
  key: keyof ReferenceServerConfig;
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
  {
    key: 'docketTimeMs',
    flag: '--docket-time-ms',
    env: 'TARGET_DOCKET_TIME_MS',
    form: 'an integer 10..3600000',
    help: 'seal pending transactions after this long (default 10000)',
    parse: integer(10, 3_600_000),
  },
  { key: 'docketSize', flag: '--docket-size', env: 'TARGET_DOCKET_SIZE', form: 'an integer 1..100', help: 'seal as soon as this many transactions are pending (default 50)', parse: integer(1, 100) },
  { key: 'docketMaxTransactions', flag: '--docket-max-tx', env: 'TARGET_DOCKET_MAX_TX', form: 'an integer 1..100', help: 'most transactions in one docket (default 100)', parse: integer(1, 100) },
  {
    key: 'mempoolMax',
    flag: '--mempool-max',
    env: 'TARGET_MEMPOOL_MAX',
    form: 'an integer 1..10000000',
    help: 'unsealed transactions per register before 409 "pool full" (default 100000)',
    parse: integer(1, 10_000_000),
  },
  { key: 'tokenTtlSeconds', flag: '--token-ttl-s', env: 'TARGET_TOKEN_TTL_S', form: 'an integer 1..86400', help: 'access token lifetime (default 3600)', parse: integer(1, 86_400) },
  {
    key: 'sqliteSync',
    flag: '--sqlite-sync',
    env: 'TARGET_SQLITE_SYNC',
    form: '"normal" or "full"',
    help: 'normal survives process crashes, full also power loss (default normal)',
    parse: oneOf('normal', 'full'),
  },
  {
    key: 'verifyThreads',
    flag: '--verify-threads',
    env: 'TARGET_VERIFY_THREADS',
    form: 'an integer 0..16',
    help: 'worker threads verifying Ed25519 signatures, 0 = on the event loop (default 0)',
    parse: integer(0, 16),
  },
  { key: 'logLevel', flag: '--log-level', env: 'TARGET_LOG_LEVEL', form: 'error, warn, info or debug', help: 'stderr log level (default warn)', parse: oneOf('error', 'warn', 'info', 'debug') },
  {
    key: 'faultLatencyMs',
    flag: '--fault-latency-ms',
    env: 'TARGET_FAULT_LATENCY_MS',
    form: 'an integer 0..60000',
    help: 'fault: add this latency to every /api request (default 0)',
    parse: integer(0, 60_000),
  },
  { key: 'faultErrorRate', flag: '--fault-error-rate', env: 'TARGET_FAULT_ERROR_RATE', form: 'a number 0..1', help: 'fault: answer this fraction of /api requests 503 (default 0)', parse: fraction },
  {
    key: 'faultDropRate',
    flag: '--fault-drop-rate',
    env: 'TARGET_FAULT_DROP_RATE',
    form: 'a number 0..1',
    help: 'fault: close the connection without answering for this fraction (default 0)',
    parse: fraction,
  },
];

export const DEFAULTS: Omit<ReferenceServerConfig, 'dataDir' | 'jwtSecret'> = {
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

const NOT_STARTED = 'the reference server did not start';
const SECRET_HELP = 'Environment only: REFERENCE_SERVER_JWT_SECRET or TARGET_JWT_SECRET (at least 32 characters; random per start when unset).';

/**
 * Every variable has two names: REFERENCE_SERVER_* says what it configures; the older TARGET_*
 * name keeps existing scripts working. When both are set the REFERENCE_SERVER_* one is used.
 */
export function preferredEnvName(legacy: string): string {
  return legacy.replace(/^TARGET_/, 'REFERENCE_SERVER_');
}

function envSetting(env: NodeJS.ProcessEnv, legacy: string): [name: string, value: string] | undefined {
  for (const name of [preferredEnvName(legacy), legacy]) {
    const value = env[name];
    if (value !== undefined && value !== '') return [name, value];
  }
  return undefined;
}

function program(): { cmd: Command; options: Map<Setting, Option> } {
  const cmd = new Command('reference-server')
    .description('Reference register server speaking the Sorcha register API.')
    .usage('[options]   (npm run target -- [options], or node --import tsx reference-server/main.ts [options])')
    .helpOption('-h, --help', 'print this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  const options = new Map<Setting, Option>();
  for (const s of SETTINGS) {
    const option = new Option(`${s.flag} <value>`, `${s.help}; ${s.form} [env ${preferredEnvName(s.env)} or ${s.env}]`);
    cmd.addOption(option);
    options.set(s, option);
  }
  cmd.option('--exit-with-parent', 'stop when stdin closes (a runner that starts the server passes this, so the server never outlives it)');
  return { cmd, options };
}

export function usage(): string {
  return `${program().cmd.helpInformation()}\nOptions win over their environment variables.\n${SECRET_HELP}`;
}

/** commander's own errors, in the project's wording. */
function fromCommander(err: CommanderError): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const flag = quoted.split(' ')[0]!;
  switch (err.code) {
    case 'commander.unknownOption':
      return `unknown option ${JSON.stringify(flag)}. Run with --help to list the options.`;
    case 'commander.optionMissingArgument': {
      const setting = SETTINGS.find((s) => s.flag === flag);
      return `${flag} needs a value: ${setting?.form ?? 'see --help'}.`;
    }
    case 'commander.excessArguments':
      return 'unexpected argument: every setting is a --flag with a value. Run with --help to list the options.';
    default:
      return err.message.replace(/^error: /, '');
  }
}

export type ParsedArgs =
  | { help: true }
  | {
      help: false;
      config: ReferenceServerConfig;
      /** No --data-dir was given: the server made a private temp folder and removes it on exit. */
      tempDataDir: boolean;
      exitWithParent: boolean;
    };

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const { cmd, options } = program();
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return { help: true };
    throw new ConfigError([fromCommander(err)], NOT_STARTED);
  }

  const problems: string[] = [];
  const values: Record<string, unknown> = { ...DEFAULTS };
  for (const s of SETTINGS) {
    const flagValue = cmd.getOptionValue(options.get(s)!.attributeName()) as string | undefined;
    const [source, text] = flagValue !== undefined ? [s.flag, flagValue] : (envSetting(env, s.env) ?? [undefined, undefined]);
    if (source === undefined || text === undefined) continue;
    const parsed = s.parse(text);
    if (parsed === undefined) problems.push(invalidValue(source, text, s.form));
    else values[s.key] = parsed;
  }

  let jwtSecret: Buffer | undefined;
  const secret = envSetting(env, 'TARGET_JWT_SECRET');
  if (secret !== undefined) {
    const [secretName, secretText] = secret;
    // The value itself is never echoed: it is a secret.
    if (secretText.length < 32) problems.push(`${secretName} is not valid (value not shown): expected at least 32 characters (it has ${secretText.length})`);
    jwtSecret = Buffer.from(secretText, 'utf8');
  }
  if ((values.docketSize as number) > (values.docketMaxTransactions as number)) {
    problems.push(`--docket-size (${values.docketSize}) must not exceed --docket-max-tx (${values.docketMaxTransactions}): lower one or raise the other`);
  }
  if (problems.length > 0) throw new ConfigError(problems, NOT_STARTED);
  const tempDataDir = values.dataDir === undefined;
  // mkdtemp makes the folder 0700: the database holds unencrypted wallet keys.
  const dataDir = (values.dataDir as string | undefined) ?? mkdtempSync(join(tmpdir(), 'ledger-reference-server-'));
  const exitWithParent = cmd.getOptionValue('exitWithParent') === true;
  return { help: false, config: { ...(values as Omit<ReferenceServerConfig, 'dataDir' | 'jwtSecret'>), dataDir, jwtSecret }, tempDataDir, exitWithParent };
}
