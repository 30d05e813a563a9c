import type { BuildOptions, Metafile, OutputFile, Plugin } from 'esbuild';
export interface K6SideModule {
  file: string;
  entry: URL;
  neededWhen: Record<string, string>;
  alwaysIn: readonly string[];
}
export const K6_SIDE_MODULES: readonly K6SideModule[];
export const k6SideModulesPlugin: Plugin;
export const k6BundleOptions: BuildOptions & { plugins: Plugin[] };
export function sideModulesRequiredBy(output: Metafile['outputs'][string]): string[];
export function buildK6SideModules(outdir: string, files: string[], opts?: { write?: true }): Promise<Array<{ path: string; bytes: number }>>;
export function buildK6SideModules(outdir: string, files: string[], opts: { write: false }): Promise<OutputFile[]>;
