// How a configuration error leaves k6's init context: one log line per problem (k6 escapes
// newlines in non-TTY logs, so a multi-line message would arrive as one unreadable line), then
// a one-line summary thrown as a plain string (an Error would add a JS stack trace, which is
// noise: the problem is the user's value, not the script).
import { ConfigError, type EnvKnobs } from '../shared/env-knobs.ts';
import { logError } from './log.ts';

export function failOnConfigProblems(knobs: EnvKnobs, consequence?: string): void {
  try {
    knobs.throwIfAny(consequence);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) logError(problem);
    const last = err.message.split('\n').pop()!;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a string carries no stack trace into k6's log
    throw `${last.replace(/^\(|\)$/g, '')}`;
  }
}
