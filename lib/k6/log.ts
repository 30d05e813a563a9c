// k6's console (its own logger, not Node's): typed here because the k6 tsconfig has no DOM lib.
declare const console: { error(...args: unknown[]): void };

export function logError(message: string): void {
  console.error(message);
}
