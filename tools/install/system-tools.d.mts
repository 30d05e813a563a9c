export interface SystemTool {
  name: string;
  commands: string[];
  debian: string;
  neededBy: string;
}
export const TEST_TOOLS: SystemTool[];
export function findOnPath(commands: string[], path?: string): string | undefined;
export function ensureSystemTools(tools: SystemTool[], options?: { log?: (message: string) => void; root?: boolean }): void;
