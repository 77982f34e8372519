import * as assert from 'node:assert/strict';
import { analyzeText, AnalyzeOptions, Finding, MAX_ALIASED_NODES, MAX_NESTING_DEPTH, RULES } from '../../server/src/engine';
import { Document, parseAllDocuments } from 'yaml';
import { parseBounded, roughDepthExceeded } from '../../server/src/engine/limits';
import { withoutByteOrderMarks } from '../../server/src/engine/byteOrderMarks';
import { Rule } from '../../server/src/engine/rule';
import { analysedLength, EditorSnapshot, InternalErrorLog, limitNotes } from '../../server/src/editorLimits';
import { bareContainer, formatRange, yaml } from '../helpers';

const summary = (findings: Finding[]) => findings.map(f => `${f.rule} ${f.severity} ${formatRange(f.range)}`);
const analyse = (text: string, options: AnalyzeOptions = {}) => analyzeText(text, options);

const POD = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers:
    - name: web
      image: nginx:1.27
`;
const POD_FINDINGS = [...bareContainer('warning 6:5-6:14'), 'mutable-image-reference hint 7:17-7:22'];
/** The findings of POD moved down by `lines`. */
const podFindings = (lines: number) => POD_FINDINGS.map(f => f.replace(/(\d+):(\d+)-(\d+):/, (_, a, b, c) => `${+a + lines}:${b}-${+c + lines}:`));

/** A Pod whose first line holds `value` under an extra key: the nesting sits on line 4 from column 8. */
const podWith = (value: string) => POD.replace('metadata: {name: web}\n', `metadata: {name: web}\nx-extra: ${value}\n`);
const flow = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('limits', () => {
  describe('nesting depth', () => {
    it(`analyses a document whose collections nest ${MAX_NESTING_DEPTH} levels deep`, () => {
      // The Pod's map is the first level, so the flow sequences add one less.
      const result = analyse(podWith(flow(MAX_NESTING_DEPTH - 1)));
      assert.deepEqual(summary(result.findings), podFindings(1));
    });

    it('reports a parse error at the first collection one level deeper, and analyses the other documents', () => {
      const result = analyse(podWith(flow(MAX_NESTING_DEPTH)) + '---\n' + POD);
      // `x-extra: ` takes nine columns, so the first `[` is in column 10.
      assert.deepEqual(summary(result.findings), [`parse-error error 4:${10 + MAX_NESTING_DEPTH - 1}-4:${10 + MAX_NESTING_DEPTH}`, ...podFindings(9)]);
      assert.equal(result.findings[0].message, `The YAML nests more than ${MAX_NESTING_DEPTH} levels deep, so this document was not analysed.`);
      assert.equal(result.documents[0].status, 'parse-error');
    });

    // Block maps need a wider indentation per level: 2,000 levels are two million characters already.
    for (const [shape, build, deepest] of [
      ['flow sequences', (depth: number) => flow(depth), 100_000],
      ['flow maps', (depth: number) => '{a: '.repeat(depth) + 'x' + '}'.repeat(depth), 100_000],
      ['compact block sequences', (depth: number) => '- '.repeat(depth) + 'x\n', 100_000],
      ['block maps', (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' x\n', 2000],
      ['block sequences of block maps', (depth: number) => Array.from({ length: depth / 2 }, (_, i) => `${' '.repeat(2 * i)}- a:`).join('\n') + ' x\n', 2000],
    ] as const) {
      it(`parses ${shape} at the limit without the parser's stack overflowing, and rejects them ${deepest.toLocaleString('en-US')} levels deep`, () => {
        const atLimit = analyse(build(MAX_NESTING_DEPTH));
        assert.deepEqual(atLimit.findings.map(f => f.message), []);
        assert.equal(atLimit.documents[0].status, 'not-kubernetes');
        const deep = analyse(build(deepest));
        assert.deepEqual(deep.findings.map(f => f.message), [`The YAML nests more than ${MAX_NESTING_DEPTH} levels deep, so this document was not analysed.`]);
      });
    }

    it('does not count brackets in quoted scalars, comments and block scalars', () => {
      const brackets = '['.repeat(2 * MAX_NESTING_DEPTH);
      const text = yaml`
        command: ["sh", "-c", "${brackets}", '${brackets}']
        # ${brackets}
        script: |
          ${brackets}
        plain: a ${brackets}
      `;
      assert.equal(roughDepthExceeded(text, 10), -1);
      assert.deepEqual(analyse(text).findings, []);
    });

    it('counts an indentation level and a `key:` twice each and a flow level once in the rough estimate', () => {
      // Line 2: two indentations and one `b:` (6), then two brackets.
      assert.equal(roughDepthExceeded('a:\n  b: [[x]]\n', 8), -1);
      assert.equal(roughDepthExceeded('a:\n  b: [[x]]\n', 7), 'a:\n  b: ['.length);
    });
  });

  describe('alias expansion', () => {
    /** A map anchored once, `aliases` aliases to a flow sequence of 99 scalars (100 nodes each). */
    const aliasing = (aliases: number) => POD.replace('metadata: {name: web}\n',
      `metadata: {name: web}\nx-list: &list [${Array(99).fill('x').join(', ')}]\nx-uses: [${Array(aliases).fill('*list').join(', ')}]\n`);

    it(`analyses a document whose aliases add ${MAX_ALIASED_NODES.toLocaleString('en-US')} nodes`, () => {
      assert.deepEqual(summary(analyse(aliasing(MAX_ALIASED_NODES / 100)).findings), podFindings(2));
    });

    it('reports a parse error at the alias that passes the limit', () => {
      const result = analyse(aliasing(MAX_ALIASED_NODES / 100 + 1));
      const column = 'x-uses: ['.length + (MAX_ALIASED_NODES / 100) * '*list, '.length + 1;
      assert.deepEqual(summary(result.findings), [`parse-error error 5:${column}-5:${column + '*list'.length}`]);
      assert.match(result.findings[0].message, /^Aliases expand this document by more than 10,000 nodes \(an alias bomb\?\), so it was not analysed/);
    });

    it('stops a billion laughs in a List before expanding it', () => {
      let text = 'apiVersion: v1\nkind: List\nl0: &l0 {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a}]}}\n';
      for (let i = 1; i <= 9; i++) text += `l${i}: &l${i} {apiVersion: v1, kind: List, items: [${Array(9).fill(`*l${i - 1}`).join(', ')}]}\n`;
      text += 'items: [*l9]\n';
      assert.deepEqual(analyse(text).findings.map(f => f.rule), ['parse-error']);
    });

    it('ends on an alias inside the node it names', () => {
      const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: &s {containers: [{name: a, image: nginx, securityContext: *s}]}\n';
      assert.deepEqual(summary(analyse(text).findings), ['mutable-image-reference warning 4:41-4:46', ...bareContainer('warning 4:48-4:63')]);
    });
  });

  describe('document size (editor)', () => {
    it('analyses a document of the size limit and not one a byte larger, with one information finding', () => {
      const limits = { maxDocumentBytes: POD.length };
      assert.deepEqual(summary(analyse(POD, { limits }).findings), POD_FINDINGS);
      const larger = analyse(POD + ' ', { limits });
      assert.deepEqual(summary(larger.findings), ['analysis-limit info 1:1-1:15']);
      assert.equal(larger.findings[0].message, `This document is 0 KB; the editor analyses documents up to 0 KB, so it was not analysed. Run the kube-immutable CLI on the file for every finding.`);
      assert.equal(larger.documents[0].status, 'not-analysed');
    });

    it('cuts a stream over the limit after the last whole document that fits, and says where', () => {
      const stream = `${POD}---\n${POD}---\n${POD}`;
      // The chunks are cut before each `---` line: [0, P), [P, 2P + 4), [2P + 4, 3P + 8).
      const twoDocuments = 2 * POD.length + 4;
      assert.equal(analysedLength(stream, twoDocuments), twoDocuments);
      assert.equal(analysedLength(stream, twoDocuments - 1), POD.length);
      assert.equal(analysedLength(stream, stream.length), stream.length);
      // No whole chunk within the limit: nothing. `---x` is no marker, `---` before a CR is.
      assert.equal(analysedLength(`${POD}---\n${POD}`, POD.length - 1), 0);
      assert.equal(analysedLength(`${POD}---\n${POD}`, POD.length), POD.length);
      assert.equal(analysedLength(`${POD}---x\n---\r${POD}`, POD.length + 8), POD.length + 5);
      const snapshot = new EditorSnapshot({ uri: 'file:///s.yaml', version: 3, getText: () => stream + 'x'.repeat(4 << 20) });
      assert.equal(snapshot.getText(), stream.slice(0, twoDocuments));
      assert.deepEqual(summary(limitNotes(snapshot)), ['analysis-limit info 16:1-16:4']);
      assert.match(limitNotes(snapshot)[0].message, /^Only the first 0 KB of this 4\.0 MB file \(up to line 15\) were analysed: the editor stops there/);
    });
  });

  describe('time budget', () => {
    it('stops the rules once a document used its time, with one information finding at its start', () => {
      const result = analyse(`# comment\n${POD}`, { limits: { timeBudgetMs: 0 } });
      assert.deepEqual(summary(result.findings), ['analysis-limit info 2:1-2:15']);
      assert.equal(result.findings[0].message, 'The analysis of this document stopped after 0 ms, so not every check ran on it. Run the kube-immutable CLI on the file for every finding.');
    });

    it('runs every rule without a budget', () => {
      assert.deepEqual(summary(analyse(POD).findings), POD_FINDINGS);
    });
  });

  describe('isolation', () => {
    const meta = (id: string): Rule['meta'] => ({ id, defaultSeverity: 'warning', description: 'test', docsUrl: 'https://example.com', messages: { [`${id}/test`]: 'test' } });
    const withRule = (rule: Rule, test: () => void) => {
      (RULES as Rule[]).unshift(rule);
      try { test(); } finally { (RULES as Rule[]).shift(); }
    };

    it('keeps the other rules\' findings when a rule throws, and returns the error', () => {
      withRule({ meta: meta('throws'), checkContainer: () => { throw new TypeError('boom'); } }, () => {
        const result = analyse(POD + '---\n' + POD);
        assert.deepEqual(summary(result.findings), [...POD_FINDINGS, ...podFindings(8)]);
        assert.deepEqual(result.errors?.map(e => `${e.rule} ${e.documentIndex} ${e.message}`), ['throws 0 boom', 'throws 1 boom']);
        assert.match(result.errors![0].stack!, /TypeError: boom/);
      });
    });

    it('keeps a finding without fixes when its fix throws', () => {
      withRule({
        meta: meta('bad-fix'),
        checkPod: (pod, context) => context.report({ at: pod.pair, messageId: 'test', message: 'pod', fixes: () => { throw new Error('no fix'); } }),
      }, () => {
        const result = analyse(POD);
        assert.deepEqual(summary(result.findings), ['bad-fix warning 4:1-8:1', ...POD_FINDINGS]);
        assert.equal(result.findings[0].fixes, undefined);
        assert.deepEqual(result.errors?.map(e => `${e.rule} ${e.message}`), ['bad-fix no fix']);
      });
    });

    it('logs each internal error once per document', () => {
      const lines: string[] = [];
      const log = new InternalErrorLog(line => lines.push(line));
      const error = { rule: 'throws', documentIndex: 1, message: 'boom', stack: 'Error: boom\n    at check' };
      log.report('file:///a.yaml', [error]);
      log.report('file:///a.yaml', [error]);
      log.report('file:///b.yaml', [error]);
      assert.deepEqual(lines, [
        'Rule throws failed on document 2 of file:///a.yaml; its other findings are shown. Error: boom\n    at check',
        'Rule throws failed on document 2 of file:///b.yaml; its other findings are shown. Error: boom\n    at check',
      ]);
    });
  });
});

describe('duplicate keys, found in linear time', () => {
  const cases = [
    'a: 1\nb: 2\na: 3\n',
    'outer:\n  x: 1\n  y: 2\n  x: 3\n',
    '{a: 1, b: {c: 1, c: 2}}\n',
    '- {k: 1}\n- k: 1\n  j: 2\n  k: 3\n',
    '1: a\n"1": b\n',
    '~: a\nnull: b\n',
    'a: &x 1\nb: *x\n',
  ];
  for (const text of cases) {
    it(`reports what yaml's own check reports for ${JSON.stringify(text)}`, () => {
      const own = parseAllDocuments(text, { version: '1.1', prettyErrors: false }) as Document[];
      const expected = own[0].errors.filter(e => e.code === 'DUPLICATE_KEY').map(e => e.pos[0]);
      const bounded = parseBounded(text, { version: '1.1' }) as Document[];
      assert.deepEqual(bounded[0].errors.map(e => `${e.code} ${e.pos[0]}`), expected.map(at => `DUPLICATE_KEY ${at}`));
    });
  }
});

describe('byte order marks', () => {
  it('analyses a document that starts with its own byte order mark, at the positions as written', () => {
    const text = `\ufeff${POD}---\n\ufeff${POD}`;
    assert.deepEqual(summary(analyse(text).findings), [...POD_FINDINGS, ...podFindings(8)]);
  });

  it('maps offsets of the parsed text back past each mark', () => {
    const { text, toWritten } = withoutByteOrderMarks('a\n\ufeffb\n\ufeffc');
    assert.equal(text, 'a\nb\nc');
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(toWritten), [0, 1, 3, 4, 6, 7]);
  });
});

describe('!!binary values', () => {
  // The bundles parse with yaml's browser build (scripts/build.mjs), which decodes base64 with atob: an invalid
  // value is an error, as in Kubernetes' decoder, where Buffer would have read what it could.
  it('reports an invalid base64 value as a parse error and lints a valid one', () => {
    const invalid = analyse(podWith('!!binary "@@@"'));
    assert.deepEqual(invalid.findings.map(f => `${f.rule} ${formatRange(f.range)} ${f.message}`), [
      'parse-error 4:10-4:18 YAML syntax error, so this document was not analysed: Invalid character',
    ]);
    assert.deepEqual(summary(analyse(podWith('!!binary aGVsbG8=')).findings), podFindings(1));
  });
});
