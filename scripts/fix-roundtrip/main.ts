// The fix round trip over a folder of manifests (default ../shared/conformance): every offered fix is applied
// alone to its file and checked, the semantic check included (see test/unit/fixes/roundTrip.ts), then fix-all
// runs on each file and its result must parse, pass its own check and mount only volumes that exist.
// Prints the counts; exits 1 when a fix fails. Skips, saying so, when the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyzeText, AnalyzeOptions } from '../../server/src/engine';
import { fixAll, preferredFix } from '../../server/src/engine/fixes/fixAll';
import { walkYamlFiles } from '../../server/src/files';
import { Broken, documentValues, newDanglingMounts, roundTrip } from '../../test/unit/fixes/roundTrip';

const root = process.argv[2] ?? '../shared/conformance';
if (!existsSync(root)) {
  console.log(`fix round trip skipped: ${root} is absent (pass a folder of manifests)`);
  process.exit(0);
}
const options: AnalyzeOptions = { allRules: true };
let files = 0, applied = 0, failed = 0, before = 0, fixable = 0, after = 0, leftFixable = 0, fixAllBroke = 0, fixAllRefused = 0;
const perRule = new Map<string, number>();

for (const file of walkYamlFiles(root)) {
  const text = readFileSync(file, 'utf8');
  const name = relative(root, file);
  files++;
  const result = roundTrip(text, options);
  applied += result.applied;
  failed += result.failures.length;
  for (const failure of result.failures) console.log(`FAIL ${name}: ${failure.rule}: ${failure.title}: ${failure.problem}`);

  const findings = analyzeText(text, options).findings;
  before += findings.length;
  fixable += findings.filter(preferredFix).length;
  for (const finding of findings) if (finding.fixes) perRule.set(finding.rule, (perRule.get(finding.rule) ?? 0) + finding.fixes.length);
  const all = fixAll(text, options);
  if (all.refused) { fixAllRefused++; console.log(`FIX-ALL REFUSED ${name}: ${all.refused}`); }
  const remaining = analyzeText(all.text, options).findings;
  after += remaining.length;
  leftFixable += remaining.filter(preferredFix).length;
  const parseErrors = (list: typeof findings) => list.filter(f => f.rule === 'parse-error').length;
  const [valuesBefore, valuesAfter] = [documentValues(text), documentValues(all.text)];
  const broken = valuesAfter.some((value, i) => value instanceof Broken && !(valuesBefore[i] instanceof Broken));
  const dangling = valuesAfter.flatMap((value, i) => (value instanceof Broken || valuesBefore[i] instanceof Broken ? [] : newDanglingMounts(valuesBefore[i], value)));
  if (parseErrors(remaining) > parseErrors(findings) || broken || dangling.length) {
    fixAllBroke++;
    console.log(`FIX-ALL BROKE ${name}${dangling.length ? `: mounts of missing volumes ${dangling.join(', ')}` : ''}`);
  }
}

console.log(`${files} files under ${root}`);
console.log(`fixes applied one by one: ${applied}, failures: ${failed} (each: parses, finding gone, lines outside the edit unchanged, changes exactly the paths it names)`);
console.log(`fixes offered per rule: ${[...perRule].map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
console.log(`fix all: ${before} findings (${fixable} with a preferred fix) before, ${after} after (${leftFixable} still with one); files no longer parsing or mounting missing volumes: ${fixAllBroke}, refused: ${fixAllRefused}`);
process.exitCode = failed || fixAllBroke || leftFixable || fixAllRefused ? 1 : 0;
