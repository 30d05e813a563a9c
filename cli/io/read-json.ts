// Reads a JSON data file (run summaries, baselines) into an InputError with file and line on failure.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { notARegularFile } from './input-file.ts';

export function readJsonFile(file: string, what: string): unknown {
  const special = notARegularFile(file);
  if (special) throw new InputError(file, undefined, `${what} ${special}`, 'give the path of the file itself');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, undefined, `${what} not found or unreadable`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError(file, line, `${what} is not valid JSON (${(err as Error).message})`, 'the file is damaged or was cut short: write it again with the command that made it, or delete it');
  }
}
