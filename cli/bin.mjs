#!/usr/bin/env node
// Entry point for `npx ledger-perf`: registers tsx so the TypeScript CLI runs without a build.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
