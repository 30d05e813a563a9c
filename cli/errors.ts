// One error type for everything the user can fix, carrying the documented exit code, so the
// entry point can print a message (never a stack trace) and exit with the right status.

export const EXIT = {
  ok: 0,
  regression: 1,
  usage: 2,
  incomparable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An input problem located in a file (and line, when known). Exit code 2. */
export class InputError extends CliError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    problem: string,
    fix?: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${problem}${fix ? `\n  fix: ${fix}` : ''}`, EXIT.usage);
    this.name = 'InputError';
  }
}
