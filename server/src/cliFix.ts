// `--fix`: applies the preferred fix of every finding to a file, writes it in place, and says what changed.
import { writeFileSync } from 'node:fs';
import { AnalyzeOptions, Finding } from './engine';
import { AppliedFix, fixAll } from './engine/fixes/fixAll';

/** `3 problems (readonly-root-filesystem 2, chmod-immutability-hack 1)` */
function summary(applied: readonly AppliedFix[]): string {
  const perRule = new Map<string, number>();
  for (const fix of applied) perRule.set(fix.rule, (perRule.get(fix.rule) ?? 0) + 1);
  const rules = [...perRule].map(([rule, count]) => `${rule} ${count}`).join(', ');
  return `${applied.length} problem${applied.length === 1 ? '' : 's'} (${rules})`;
}

/** Writes a fixed file back and says on standard error what changed in it. */
export function writeFixed(file: string, text: string, applied: readonly AppliedFix[]): void {
  writeFileSync(file, text);
  process.stderr.write(`Fixed ${summary(applied)} in ${file}\n`);
  for (const fix of applied) process.stderr.write(`  ${fix.rule}${fix.container !== undefined ? ` [${fix.container}]` : ''}: ${fix.title}\n`);
}

/** The file's text after its fixes; a changed file is written back, and reported on standard error. */
export function fixFile(file: string, text: string, options: AnalyzeOptions, include: (finding: Finding) => boolean): string {
  const result = fixAll(text, options, include);
  if (!result.applied.length) return text;
  writeFixed(file, result.text, result.applied);
  return result.text;
}
