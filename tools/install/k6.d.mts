export const projectRoot: string;
export function pinnedK6Version(): string;
export function compatK6Version(): string;
export function k6ModulePath(version: string): string;
export function localK6Path(version?: string): string;
export function ensureK6(options?: { version?: string; log?: (message: string) => void }): string;
