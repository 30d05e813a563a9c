// ledger-perf results CLI: report, compare, baseline, merge. Exit codes (docs/cli.md):
// 0 ok, 1 regression, 2 usage or input error, 3 incomparable runs or insufficient data.
import { Command, CommanderError } from 'commander';
import { registerBaseline } from './commands/baseline.ts';
import { registerBuild } from './commands/build.ts';
import { registerCompare } from './commands/compare.ts';
import { registerMerge } from './commands/merge.ts';
import { registerReport } from './commands/report.ts';
import { ConfigFileError } from './config/json-source.ts';
import { CliError, EXIT } from './errors.ts';
import { registerK8s } from './k8s/command.ts';
import { TOOL_VERSION } from './version.ts';

function buildProgram(): Command {
  const program = new Command('ledger-perf')
    .description('Turn k6 runs into reports, compare runs with statistics, keep baselines, merge distributed outputs.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerReport(program);
  registerCompare(program);
  registerBaseline(program);
  registerMerge(program);
  registerK8s(program);
  registerBuild(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof ConfigFileError) {
      process.stderr.write(`ledger-perf: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`ledger-perf: ${err.message}\n`);
      return err.exitCode;
    }
    const fsError = err as NodeJS.ErrnoException;
    if (typeof fsError?.code === 'string' && typeof fsError.path === 'string' && fsError.syscall) {
      // A filesystem refusal is about the user's paths, not a bug in the tool.
      process.stderr.write(`ledger-perf: ${fsError.path}: ${fsError.code} (${fsError.syscall})\n  fix: check that the path exists and that you may read or write it\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ledger-perf: unexpected error: ${(err as Error)?.message ?? String(err)}\n  (this is a bug; please report it with the command you ran)\n`);
    if (process.env['LEDGER_PERF_DEBUG']) process.stderr.write(`${(err as Error)?.stack}\n`);
    return EXIT.usage;
  }
}

process.exitCode = await main(process.argv);
