// `--fix`: applies the preferred fix of every finding to a file, writes it in place, and says what changed.
// A file is written only when every fix passed its check (see engine/fixes/guard.ts); otherwise it stays as it was.
import { AnalyzeOptions, Finding } from './engine';
import { DecodedText, TextEncoding } from './engine/byteOrderMarks';
import { AppliedFix, fixAll } from './engine/fixes/fixAll';
import { writeTextFileSync } from './textFiles';

/** `3 problems (readonly-root-filesystem 2, chmod-immutability-hack 1)` */
function summary(applied: readonly AppliedFix[]): string {
  const perRule = new Map<string, number>();
  for (const fix of applied) perRule.set(fix.rule, (perRule.get(fix.rule) ?? 0) + 1);
  const rules = [...perRule].map(([rule, count]) => `${rule} ${count}`).join(', ');
  return `${applied.length} problem${applied.length === 1 ? '' : 's'} (${rules})`;
}

/** Where --fix says what it changed: standard error, or a worker thread's report (printed in file order). */
export type FixLog = (text: string) => void;

const toStderr: FixLog = text => process.stderr.write(text);

/** Writes a fixed file back in its own encoding and says on standard error what changed in it. */
export function writeFixed(file: string, text: string, applied: readonly AppliedFix[], encoding: TextEncoding = 'utf-8', log: FixLog = toStderr): void {
  writeTextFileSync(file, text, encoding);
  log(`Fixed ${summary(applied)} in ${file}
`);
  for (const fix of applied) log(`  ${fix.rule}${fix.container !== undefined ? ` [${fix.container}]` : ''}: ${fix.title}
`);
}

/**
 * The file's text after its fixes; a changed file is written back in its own encoding, and reported on standard
 * error. `refused` says why the file was left as it was, for the caller to report as an internal error.
 */
export function fixFile(file: string, { text, encoding }: DecodedText, options: AnalyzeOptions, include: (finding: Finding) => boolean, log: FixLog = toStderr): { text: string; refused?: string } {
  const result = fixAll(text, options, include);
  if (result.refused) return { text, refused: result.refused };
  if (!result.applied.length) return { text };
  writeFixed(file, result.text, result.applied, encoding, log);
  return { text: result.text };
}
