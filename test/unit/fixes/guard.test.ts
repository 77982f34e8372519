// The guard refuses a fix whose result does not parse or changes more than it names, with the rule and the
// finding's position in the log; fix-all and --fix refuse fixes that only fail together.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer, Parser } from 'yaml';
import { analyzeText, RULES } from '../../../server/src/engine';
import { fixAll } from '../../../server/src/engine/fixes/fixAll';
import { FixGuard, UNCHECKED } from '../../../server/src/engine/fixes/guard';
import { editorFor } from '../../../server/src/engine/fixes/yamlEdits';
import { FixSpec, OffsetEdit, Rule } from '../../../server/src/engine/rule';
import { fixFile } from '../../../server/src/cliFix';
import { formatRange } from '../../helpers';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    -\n      name: mysql\n      image: mysql:8.4\n';

/** The guard of the one document of `text`, parsed as the analysis parses it. */
function guardOf(text: string): FixGuard {
  const docs = Array.from(new Composer({ version: '1.1', keepSourceTokens: true }).compose(new Parser().parse(text)));
  return new FixGuard(text, docs, 0);
}

const at = (text: string, search: string) => text.indexOf(search);
const readOnly: FixSpec['changes'] = [{ path: ['spec', 'containers', 0, 'securityContext'], kind: 'set', value: { readOnlyRootFilesystem: true } }];

describe('FixGuard', () => {
  it('passes an edit that makes exactly the change it names', () => {
    const end = POD.length;
    assert.equal(guardOf(POD).problem({ title: 'right', edits: [{ start: end, end, text: '      securityContext:\n        readOnlyRootFilesystem: true\n' }], changes: readOnly }), undefined);
  });
  it('refuses an edit at the wrong column: the result does not parse', () => {
    const end = POD.length;
    assert.equal(guardOf(POD).problem({ title: 'wrong column', edits: [{ start: end, end, text: '     securityContext:\n       readOnlyRootFilesystem: true\n' }], changes: readOnly }),
      'the result does not parse: it is not valid YAML: Sequence item without - indicator');
  });
  it('refuses an edit that parses but puts the field somewhere else', () => {
    const end = POD.length;
    assert.equal(guardOf(POD).problem({ title: 'wrong level', edits: [{ start: end, end, text: '  securityContext:\n    readOnlyRootFilesystem: true\n' }], changes: readOnly }),
      'spec.securityContext changed from nothing to {"readOnlyRootFilesystem":true}, which the fix does not name; '
      + 'spec.containers[0].securityContext was to be set to {"readOnlyRootFilesystem":true}, but is not');
  });
  it('refuses a mount of a volume the pod lacks, even when the fix names it', () => {
    const end = POD.length;
    const changes: FixSpec['changes'] = [{ path: ['spec', 'containers', 0, 'volumeMounts'], kind: 'set', value: [{ name: 'tmp', mountPath: '/tmp' }] }];
    assert.equal(guardOf(POD).problem({ title: 'mount only', edits: [{ start: end, end, text: '      volumeMounts:\n      - name: tmp\n        mountPath: /tmp\n' }], changes }),
      'spec.containers[0].volumeMounts[0]: "tmp" names no volume of its pod');
  });
  it('checks a fix in a large document on the item that holds its edits, with the same verdicts', () => {
    const item = (i: number) => `  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p${i}\n    spec:\n      containers:\n        -\n          name: c\n          image: registry.example.com/c:${i}\n`;
    const list = `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 400 }, (_, i) => item(i)).join('')}`;
    assert.ok(list.length > 40_000);
    const end = list.indexOf('image: registry.example.com/c:100') + 'image: registry.example.com/c:100'.length;
    const changes: FixSpec['changes'] = [{ path: ['items', 100, 'spec', 'containers', 0, 'securityContext'], kind: 'set', value: { readOnlyRootFilesystem: true } }];
    const fix = (text: string): FixSpec => ({ title: 'a fix', edits: [{ start: end, end, text }], changes });
    assert.equal(guardOf(list).problem(fix('\n          securityContext: {readOnlyRootFilesystem: true}')), undefined);
    assert.equal(guardOf(list).problem(fix('\n      securityContext: {readOnlyRootFilesystem: true}')),
      'items[100].spec.securityContext changed from nothing to {"readOnlyRootFilesystem":true}, which the fix does not name; '
      + 'items[100].spec.containers[0].securityContext was to be set to {"readOnlyRootFilesystem":true}, but is not');
    assert.equal(guardOf(list).problem(fix('\n   securityContext: {readOnlyRootFilesystem: true}')), 'the result does not parse: it is not valid YAML: Unexpected scalar at node end');
    // Edits in the first and the last item: only the whole document holds them, too large to parse for each fix.
    const last = list.length;
    const apart = fix('\n          securityContext: {readOnlyRootFilesystem: true}');
    assert.equal(guardOf(list).problem({ ...apart, edits: [...apart.edits, { start: last, end: last, text: '' }] }), UNCHECKED);
  });
  it('finds the item that holds a fix in a large flow document on one line, first, middle and last', () => {
    const item = (i: number) => `{apiVersion: v1, kind: Pod, metadata: {name: p${i}, labels: }, spec: {containers: [{name: c, image: "registry.example.com/c:${i}"}]}}`;
    const list = `{apiVersion: v1, kind: List, items: [${Array.from({ length: 400 }, (_, i) => item(i)).join(', ')}]}\n`;
    assert.ok(list.length > 40_000 && !list.trimEnd().includes('\n'));
    for (const i of [0, 1, 199, 398, 399]) {
      const image = `image: "registry.example.com/c:${i}"`;
      const end = list.indexOf(image) + image.length;
      const changes: FixSpec['changes'] = [{ path: ['items', i, 'spec', 'containers', 0, 'securityContext'], kind: 'set', value: { readOnlyRootFilesystem: true } }];
      const fix = (text: string): FixSpec => ({ title: 'a fix', edits: [{ start: end, end, text }], changes });
      assert.equal(guardOf(list).problem(fix(', securityContext: {readOnlyRootFilesystem: true}')), undefined, `item ${i}`);
      assert.equal(guardOf(list).problem(fix(', securityContext: {readOnlyRootFilesystem: false}')),
        `items[${i}].spec.containers[0].securityContext changed from nothing to {"readOnlyRootFilesystem":false}, which the fix does not name; `
        + `items[${i}].spec.containers[0].securityContext was to be set to {"readOnlyRootFilesystem":true}, but is not`, `item ${i}`);
      // The same fix said to change another item's container: no item of a size to check holds both.
      assert.equal(guardOf(list).problem({ ...fix(', securityContext: {readOnlyRootFilesystem: true}'), changes: [{ ...changes[0], path: ['items', (i + 1) % 400, ...changes[0].path.slice(2)] }] }), UNCHECKED);
    }
    // An edit after the comma between two items: no item holds it.
    const between = list.indexOf(', {apiVersion: v1, kind: Pod, metadata: {name: p200,') + 1;
    assert.equal(guardOf(list).problem({ title: 'between', edits: [{ start: between, end: between, text: ' ' }], changes: [] }), UNCHECKED);
  });


  it('cannot check a document with an alias before its anchor, which the parser composes but cannot convert', () => {
    const text = `${POD}      env: [{name: A, value: *v}, {name: B, value: &v x}]\n`;
    assert.equal(guardOf(text).problem({ title: 'a fix', edits: [{ start: text.length, end: text.length, text: '      tty: true\n' }], changes: [] }), UNCHECKED);
  });

  it('refuses overlapping edits', () => {
    const start = at(POD, 'mysql:8.4');
    const edits: OffsetEdit[] = [{ start, end: start + 5, text: 'a' }, { start: start + 2, end: start + 6, text: 'b' }];
    assert.equal(guardOf(POD).problem({ title: 'overlap', edits, changes: [] }), `overlapping edits at offset ${start + 2}`);
  });
});

/** A rule that reports the container and offers what `fixes` makes of it, in the analysis for one test. */
function withRule(fixes: (text: string, container: Parameters<NonNullable<Rule['checkContainer']>>[0]) => FixSpec[], test: () => void): void {
  const rule: Rule = {
    meta: { id: 'test-rule', defaultSeverity: 'warning', description: 'a rule of this test', docsUrl: 'https://example.com', messages: { 'test-rule/found': 'found' } },
    checkContainer(container, context) {
      context.report({ at: container.node.items[0].key as never, messageId: 'test-rule/found', message: 'test', container, fixes: () => fixes(context.text, container) });
    },
  };
  const rules = RULES as Rule[];
  rules.push(rule);
  try { test(); } finally { rules.splice(rules.indexOf(rule), 1); }
}

describe('fixes the engine refuses to offer', () => {
  it('drops a fix whose edit puts the field at the wrong level, and reports it as an internal error of its rule at its finding', () => {
    withRule(text => [{ title: 'Insert at the wrong column', edits: [{ start: text.length, end: text.length, text: '  securityContext: {readOnlyRootFilesystem: true}\n' }], changes: readOnly }], () => {
      const result = analyzeText(POD);
      const finding = result.findings.find(f => f.rule === 'test-rule')!;
      assert.equal(finding.fixes, undefined);
      assert.deepEqual(result.errors?.map(e => `${e.rule} ${formatRange(e.range!)} ${e.message}`), [
        'test-rule 8:7-8:11 the fix "Insert at the wrong column" was not offered: spec.securityContext changed from nothing to {"readOnlyRootFilesystem":true}, which the fix does not name; '
        + 'spec.containers[0].securityContext was to be set to {"readOnlyRootFilesystem":true}, but is not',
      ]);
    });
  });

  // Two fixes that each add `tier` to the container's map in a different place: each alone is right, together
  // they write the key twice, which is not valid.
  const twice = (text: string, container: Parameters<NonNullable<Rule['checkContainer']>>[0]): FixSpec[] => {
    const editor = editorFor(text, container.pod.object.doc);
    const [first] = editor.merge(container.node, { tier: 'db' });
    const start = text.indexOf('name: mysql');
    const other: OffsetEdit = { start, end: start, text: 'tier: db\n      ', changes: first.changes };
    return [
      { title: 'Add tier after the last key', edits: [first], changes: first.changes!, isPreferred: true },
      { title: 'Add tier before the first key', edits: [other], changes: first.changes!, isPreferred: true },
    ];
  };

  it('fix-all refuses fixes that fail only together, and changes nothing', () => {
    withRule((text, container) => [twice(text, container)[0]], () => withRule((text, container) => [twice(text, container)[1]], () => {
      assert.deepEqual(analyzeText(POD).errors, undefined);
      assert.deepEqual(fixAll(POD, {}, finding => finding.rule === 'test-rule'), {
        text: POD, applied: [],
        refused: 'the fixes "Add tier after the last key", "Add tier before the first key" together: the result does not parse: it is not valid YAML: Map keys must be unique',
      });
    }));
  });

  it('--fix leaves the file as it was and says why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-guard-'));
    const file = join(dir, 'db.yaml');
    writeFileSync(file, POD);
    try {
      withRule((text, container) => [twice(text, container)[0]], () => withRule((text, container) => [twice(text, container)[1]], () => {
        const result = fixFile(file, { text: POD, encoding: 'utf-8' }, {}, finding => finding.rule === 'test-rule');
        assert.equal(result.text, POD);
        assert.equal(result.refused, 'the fixes "Add tier after the last key", "Add tier before the first key" together: the result does not parse: it is not valid YAML: Map keys must be unique');
        assert.equal(readFileSync(file, 'utf8'), POD);
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
