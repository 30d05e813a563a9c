export function dependenciesOutOfDate(root: string): string | undefined;
