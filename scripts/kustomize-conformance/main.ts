// Runs the renderer over Kustomize's own end-to-end cases and argo-cd's manifests (../shared/fixtures/kustomize,
// see its README) and compares each build with the recorded output as parsed objects, in order.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildKustomization, printBuild } from '../../server/src/sources/kustomize';
import { firstDifference, parseStream } from './compare';
import { mountedFileSystem } from './diskFileSystem';
import { checkFastReader } from './fastReader';

interface CaseOptions {
  reorder: 'none' | 'legacy' | 'unspecified';
  addManagedbyLabel: boolean;
}

const fixtures = resolve(process.argv[2] ?? '../shared/fixtures/kustomize');
if (!existsSync(join(fixtures, 'cases'))) {
  console.log(`kustomize-conformance: skipped, ${fixtures} is absent (it holds the shared Kustomize fixtures)`);
  process.exit(0);
}

const failures: string[] = [];
let passed = 0;

function check(name: string, run: () => string | undefined): void {
  let failure: string | undefined;
  try {
    failure = run();
  } catch (error) {
    failure = `crashed: ${error instanceof Error ? error.stack : String(error)}`;
  }
  if (failure === undefined) passed++;
  else failures.push(`${name}: ${failure}`);
}

const casesDir = join(fixtures, 'cases');
const caseNames = readdirSync(casesDir).sort();
for (const name of caseNames) {
  check(name, () => {
    const spec = JSON.parse(readFileSync(join(casesDir, name, 'case.json'), 'utf8')) as { root: string; options: CaseOptions; expectError?: boolean };
    if (spec.options.addManagedbyLabel) return 'the managed-by label option of the kustomize CLI is not implemented';
    const root = `/${spec.root}`.replace(/\/\.$/, '').replace(/\/+$/, '') || '/';
    const build = buildKustomization(root, mountedFileSystem(join(casesDir, name, 'input')), { reorder: spec.options.reorder === 'none' ? 'none' : 'legacy' });
    const errors = build.problems.filter((problem) => problem.severity === 'error');
    if (spec.expectError) return errors.length > 0 ? undefined : 'expected an error, the build succeeded';
    if (errors.length > 0) return `unexpected error: ${errors[0].message}`;
    return firstDifference(parseStream(printBuild(build)), parseStream(readFileSync(join(casesDir, name, 'expected.yaml'), 'utf8')));
  });
}
const casePassed = passed;

const argoDir = join(fixtures, 'real', 'argo-cd');
const pairings = JSON.parse(readFileSync(join(argoDir, 'cases.json'), 'utf8')) as { root: string; expected: string; expectedPrefix: string }[];
for (const pairing of pairings) {
  check(`argo-cd ${pairing.root}`, () => {
    const build = buildKustomization(`/${pairing.root}`, mountedFileSystem(argoDir));
    const errors = build.problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) return `unexpected error: ${errors[0].message}`;
    const expected = readFileSync(join(argoDir, pairing.expected), 'utf8');
    if (!expected.startsWith(pairing.expectedPrefix)) return `${pairing.expected} does not start with the expected prefix`;
    return firstDifference(parseStream(printBuild(build)), parseStream(expected.slice(pairing.expectedPrefix.length)));
  });
}

// Every YAML file of the fixtures read by the fast block reader must give what the full parser gives.
const reader = checkFastReader(fixtures);
for (const disagreement of reader.disagreements) failures.push(`fast YAML reader: ${disagreement}`);

// The cases known to differ, each with the reason: the rest must give kustomize's output, so that a change that
// breaks a passing case fails, and a known difference that starts to pass is taken off the list.
const known = new Map(Object.entries(JSON.parse(readFileSync(join(__dirname, '..', '..', 'scripts', 'kustomize-conformance', 'known-differences.json'), 'utf8')) as Record<string, string>));
const failedNames = new Set(failures.map(failure => failure.slice(0, failure.indexOf(': '))));
const regressions = failures.filter(failure => !known.has(failure.slice(0, failure.indexOf(': '))));
const stale = [...known.keys()].filter(name => !failedNames.has(name));
for (const failure of failures) console.log(`${known.has(failure.slice(0, failure.indexOf(': '))) ? 'known' : 'FAIL'} ${failure}`);
for (const name of stale) console.log(`FAIL ${name}: listed as a known difference, but gives kustomize's output now: take it off known-differences.json`);
console.log(`fast YAML reader: ${reader.agreed} files read as the full parser reads them, ${reader.fellBack} left to the full parser, ${reader.disagreements.length} disagreements`);
const total = caseNames.length + pairings.length;
const percent = (count: number, of: number) => `${((100 * count) / of).toFixed(1)}%`;
console.log(`kustomize cases: ${casePassed} of ${caseNames.length} give kustomize's output (${percent(casePassed, caseNames.length)}); argo-cd pairings: ${passed - casePassed} of ${pairings.length} equal`);
console.log(`kustomize-conformance: ${total - failures.length} passed, ${regressions.length + stale.length} failed (besides ${failures.length - regressions.length} known differences, each with its reason in known-differences.json)`);
process.exit(regressions.length + stale.length > 0 ? 1 : 0);
