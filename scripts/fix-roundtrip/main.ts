// The fix round trip over a folder of manifests (default ../shared/conformance): every offered fix is applied
// alone to its file and checked (see test/unit/fixes/roundTrip.ts), then fix-all runs on each file.
// Prints the counts; exits 1 when a fix fails.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyzeText, AnalyzeOptions } from '../../server/src/engine';
import { fixAll, preferredFix } from '../../server/src/engine/fixes/fixAll';
import { walkYamlFiles } from '../../server/src/files';
import { roundTrip } from '../../test/unit/fixes/roundTrip';

const root = process.argv[2] ?? '../shared/conformance';
const options: AnalyzeOptions = { allRules: true };
let files = 0, applied = 0, failed = 0, before = 0, fixable = 0, after = 0, leftFixable = 0, fixAllBroke = 0;
const perRule = new Map<string, number>();

for (const file of walkYamlFiles(root)) {
  const text = readFileSync(file, 'utf8');
  files++;
  const result = roundTrip(text, options);
  applied += result.applied;
  failed += result.failures.length;
  for (const failure of result.failures) console.log(`FAIL ${relative(root, file)}: ${failure.rule}: ${failure.title}: ${failure.problem}`);

  const findings = analyzeText(text, options).findings;
  before += findings.length;
  fixable += findings.filter(preferredFix).length;
  for (const finding of findings) if (finding.fixes) perRule.set(finding.rule, (perRule.get(finding.rule) ?? 0) + finding.fixes.length);
  const fixed = fixAll(text, options).text;
  const remaining = analyzeText(fixed, options).findings;
  after += remaining.length;
  leftFixable += remaining.filter(preferredFix).length;
  const parseErrors = (list: typeof findings) => list.filter(f => f.rule === 'parse-error').length;
  if (parseErrors(remaining) > parseErrors(findings)) { fixAllBroke++; console.log(`FIX-ALL BROKE ${relative(root, file)}`); }
}

console.log(`${files} files under ${root}`);
console.log(`fixes applied one by one: ${applied}, failures: ${failed}`);
console.log(`fixes offered per rule: ${[...perRule].map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
console.log(`fix all: ${before} findings (${fixable} with a preferred fix) before, ${after} after (${leftFixable} still with one); files no longer parsing: ${fixAllBroke}`);
process.exitCode = failed || fixAllBroke || leftFixable ? 1 : 0;
