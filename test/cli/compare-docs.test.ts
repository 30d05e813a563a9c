// docs/cli.md defines every verdict `compare` can give and every exit code it can end with: the
// tables there are held against the code's own lists, so a verdict or exit code added in the
// code without its definition (or a definition of one that no longer exists) fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VERDICTS } from '../../cli/compare/compare-runs.ts';
import { MARK } from '../../cli/compare/render-compare.ts';
import { EXIT } from '../../cli/errors.ts';
import { projectRoot } from '../helpers/paths.ts';

const doc = readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8');

/** First-column cells of the first table after a heading line. */
function firstColumn(heading: string): string[] {
  const at = doc.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `docs/cli.md has no heading "${heading}"`);
  const lines = doc.slice(at + heading.length + 2).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|')[1]!.trim());
  }
  return rows;
}

test('docs/cli.md defines every verdict of compare, as the table shows it, and no other', () => {
  const defined = firstColumn('### Verdicts');
  const shown = VERDICTS.map((v) => `\`${MARK[v]}\``);
  // The one row that is no verdict of a metric: a candidate-only breakdown (comparability.ts `severe`).
  assert.deepEqual(defined, [...shown, '**severe regression**']);
});

test('docs/cli.md defines every exit code of compare and of the CLI, and no other', () => {
  const codes = Object.values(EXIT).sort((a, b) => a - b);
  assert.deepEqual(firstColumn('### Exit codes of `compare`').map(Number), codes);
  assert.deepEqual(firstColumn('## Exit codes').map(Number), codes);
});
