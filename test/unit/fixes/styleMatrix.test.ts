// The style matrix: every fixture of the fix tables, written in every layout of styleMatrix.ts, must get the same
// fixes as in the first layout, each passing the semantic check (see roundTrip.ts), and fix-all must give a text
// that parses. Prints how many layouts, fixtures and fixes it tried.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeText, AnalyzeOptions } from '../../../server/src/engine';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { fixAll } from '../../../server/src/engine/fixes/fixAll';
import { testSources, yamlLiterals } from './fixtures';
import { Broken, documentValues, semanticProblems } from './roundTrip';
import { layoutName, matrixLayouts, StyleLayout, writeInLayout } from './styleMatrix';
import { yaml } from '../../helpers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const OPTIONS: AnalyzeOptions = { allRules: true };

/** The documents of each fix-table fixture that parses, as plain objects, once each (an output is often another case's input). */
const fixtures = [...new Map(testSources(join(ROOT, 'test', 'unit', 'fixes')).flatMap(file => yamlLiterals(file))
  .map(documentValues)
  .filter(documents => documents.length && documents.every(document => !(document instanceof Broken) && document !== null))
  .map(documents => [JSON.stringify(documents), documents])).values()];

/** What the fixes of a text are, to compare layouts: `rule [container]: title` per offered fix. */
function offered(text: string): { fixes: string[]; errors: string[] } {
  const result = analyzeText(text, OPTIONS);
  return {
    fixes: result.findings.flatMap(f => (f.fixes ?? []).map(fix => `${f.rule} [${f.container ?? ''}]: ${fix.title}`)),
    errors: (result.errors ?? []).map(error => `${error.rule}: ${error.message}`),
  };
}

interface Tally { layouts: number; texts: number; fixes: number; invalid: string[]; different: string[]; missing: string[] }

function tryLayout(documents: unknown[], layout: StyleLayout, expected: string[], tally: Tally): void {
  const text = writeInLayout(documents, layout);
  const where = `${layoutName(layout)}:\n${text}`;
  const result = analyzeText(text, OPTIONS);
  tally.texts++;
  for (const error of result.errors ?? []) tally.invalid.push(`${error.rule}: ${error.message} in ${where}`);
  const fixes = offered(text).fixes;
  if (fixes.join('\n') !== expected.join('\n')) tally.missing.push(`${JSON.stringify(fixes)} instead of ${JSON.stringify(expected)} in ${where}`);
  for (const finding of result.findings) {
    for (const fix of finding.fixes ?? []) {
      tally.fixes++;
      const problems = semanticProblems(text, applyTextEdits(text, fix.edits), finding.documentIndex, fix);
      const list = problems.some(problem => /does not parse/.test(problem)) ? tally.invalid : tally.different;
      for (const problem of problems) list.push(`${finding.rule}: ${fix.title}: ${problem} in ${where}`);
    }
  }
  const all = fixAll(text, OPTIONS);
  if (all.refused) tally.invalid.push(`fix-all: ${all.refused} in ${where}`);
  const broken = documentValues(all.text).find(document => document instanceof Broken);
  if (broken) tally.invalid.push(`fix-all: ${(broken as Broken).message} in ${where}`);
}

describe('the style matrix: fix-table fixtures in every layout', function () {
  this.timeout(600_000);
  const layouts = matrixLayouts();

  it('writes a fixture in the layout asked for', () => {
    const pod = { spec: { containers: [{ name: 'a', args: ['x', 'z'] }] } };
    const layout = (changes: Partial<StyleLayout>): StyleLayout => ({ indents: [2], flushSequences: false, items: 'compact', extras: 'plain', eol: '\n', finalNewline: true, ...changes });
    assert.equal(writeInLayout([pod], layout({ indents: [3], items: 'bare', extras: 'comments' })), yaml`
      spec:
         containers:
            -
               # below its dash
               name: a
               args:
                  -
                     # below its dash
                     x

                  # item 2
                  -
                     # below its dash
                     z
                  # end of the list
            # end of the list
    `);
    assert.equal(writeInLayout([pod, {}], layout({ flushSequences: true, items: 'wide', extras: 'keys', eol: '\r\n', finalNewline: false })),
      'spec :\r\n  "containers" :\r\n  -   name : a\r\n      "args" :\r\n      -   x\r\n      -   z\r\n---\r\n{}');
  });

  it(`gives every fix of every fixture in ${layouts.length} layouts a result that parses and changes exactly what it names`, () => {
    const tally: Tally = { layouts: layouts.length, texts: 0, fixes: 0, invalid: [], different: [], missing: [] };
    let tried = 0;
    for (const documents of fixtures) {
      const expected = offered(writeInLayout(documents, layouts[0]));
      if (!expected.fixes.length) continue;
      tried++;
      for (const layout of layouts) tryLayout(documents, layout, expected.fixes, tally);
    }
    console.log(`      style matrix: ${tally.layouts} layouts x ${tried} fixtures with fixes = ${tally.texts} texts, ${tally.fixes} fixes: `
      + `${tally.invalid.length} invalid, ${tally.different.length} semantic differences, ${tally.missing.length} layouts with other fixes`);
    assert.deepEqual(tally.invalid.slice(0, 5), []);
    assert.deepEqual(tally.different.slice(0, 5), []);
    assert.deepEqual(tally.missing.slice(0, 5), []);
    assert.ok(tally.fixes > 2_000, `only ${tally.fixes} fixes were tried`);
  });
});
