// k6's console (its own logger, not Node's): typed here because the k6 tsconfig has no DOM lib.
declare const console: { error(...args: unknown[]): void; log(...args: unknown[]): void };

export function logError(message: string): void {
  console.error(message);
}

export function logInfo(message: string): void {
  console.log(message);
}
