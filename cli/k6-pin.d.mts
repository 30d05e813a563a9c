export const projectRoot: string;
export function pinnedK6Version(): string;
export function compatK6Version(): string;
