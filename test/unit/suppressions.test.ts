import * as assert from 'node:assert/strict';
import { analyzeText, AnalyzeOptions, ignoreForContainerEdit, ignoreForContainerEdits, parseChunk, parseDirective } from '../../server/src/engine';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { isExemptImage } from '../../server/src/engine/suppressions';
import { formatRange, yaml } from '../helpers';

/** The rules these tables use; findings of other rules are left out so that the tables stay about suppression. */
const RULES_HERE = new Set(['readonly-root-filesystem', 'misplaced-container-field', 'chmod-immutability-hack', 'unused-suppression', 'parse-error']);

/** `rule line:col-line:col` of every finding, 1-based, with `(unnecessary)` on the faded ones. */
function summary(code: string, options: AnalyzeOptions = {}): string[] {
  return analyzeText(code, options).findings.filter(f => RULES_HERE.has(f.rule)).map(f => `${f.rule} ${formatRange(f.range)}${f.unnecessary ? ' (unnecessary)' : ''}`);
}

const TWO_CONTAINERS = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers:
    # kube-immutable-ignore readonly-root-filesystem -- the app writes its cache to /srv
    - name: web
      image: nginx:1.27
    - name: sidecar
      image: envoy:1.30
`;

const STACKED = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers:
    # kube-immutable-ignore readonly-root-filesystem -- writes /srv
    # kube-immutable-ignore chmod-immutability-hack -- being removed in PLAT-7
    - name: web
      command: ["sh", "-c", "chmod -R a-w / && exec nginx"]
`;

interface Case { name: string; code: string; options?: AnalyzeOptions; expected: string[] }

function table(cases: Case[]): void {
  for (const { name, code, options, expected } of cases) it(name, () => assert.deepEqual(summary(code, options), expected));
}

describe('suppressions', () => {
  describe('comments', () => table([
    {
      name: 'a comment above a container item covers that container only',
      code: TWO_CONTAINERS,
      expected: ['readonly-root-filesystem 9:5-9:18'],
    },
    {
      name: 'a comment above a key covers the key and its value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            # kube-immutable-ignore readonly-root-filesystem -- reviewed in SEC-12
            securityContext:
              readOnlyRootFilesystem: false
      `,
      expected: [],
    },
    {
      name: 'a comment above a key with a flush sequence covers every item',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          # kube-immutable-ignore readonly-root-filesystem -- legacy
          containers:
          - name: a
          - name: b
          initContainers:
          - name: init
      `,
      expected: ['readonly-root-filesystem 10:5-10:15'],
    },
    {
      name: 'a comment above the first line of a resource covers the whole resource',
      code: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        ---
        # kube-immutable-ignore readonly-root-filesystem,misplaced-container-field -- vendor chart
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {readOnlyRootFilesystem: true}
          containers:
          - name: web
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other}
        spec:
          containers:
          - name: other
      `,
      expected: ['readonly-root-filesystem 19:5-19:16'],
    },
    {
      name: 'stacked comments both apply to the line below them',
      code: STACKED,
      expected: [],
    },
    {
      name: 'a rule named without a finding there is an unnecessary hint on its name',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          # kube-immutable-ignore readonly-root-filesystem, chmod-immutability-hack -- reason
          - name: web
      `,
      expected: ['unused-suppression 6:53-6:76 (unnecessary)'],
    },
    {
      name: 'an unknown rule and a comment naming no rule are unnecessary hints',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          # kube-immutable-ignore no-such-rule -- typo
          - name: web
            securityContext: {readOnlyRootFilesystem: true}
          # kube-immutable-ignore -- forgot the rule
          - name: sidecar
            securityContext: {readOnlyRootFilesystem: true}
      `,
      expected: ['unused-suppression 6:27-6:39 (unnecessary)', 'unused-suppression 9:5-9:26 (unnecessary)'],
    },
    {
      name: 'unused-suppression: off hides the hints',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          # kube-immutable-ignore chmod-immutability-hack -- stale
          - name: web
            securityContext: {readOnlyRootFilesystem: true}
      `,
      options: { severities: { 'unused-suppression': 'off' } },
      expected: [],
    },
    {
      name: 'a comment at the end of a document suppresses nothing',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a}]\n# kube-immutable-ignore readonly-root-filesystem\n',
      expected: ['readonly-root-filesystem 5:17-5:24', 'unused-suppression 6:25-6:49 (unnecessary)'],
    },
    {
      name: 'with CRLF line endings, other comments between the directive and its line are still skipped',
      code: TWO_CONTAINERS.replace('/srv\n', '/srv\n  # a note\n').replace(/\n/g, '\r\n'),
      expected: ['readonly-root-filesystem 10:5-10:18'],
    },
    {
      name: 'a trailing comment on a line with content is not a directive',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a # kube-immutable-ignore readonly-root-filesystem\n',
      expected: ['readonly-root-filesystem 6:5-6:12'],
    },
  ]));

  describe('whole file', () => table([
    {
      name: 'ignore-file without rules ignores every finding of the stream',
      code: '# kube-immutable-ignore-file -- generated by a vendor tool\n' + TWO_CONTAINERS.replace(/# kube-immutable-ignore .*\n/, '') + '---\napiVersion: v1\nkind: Pod\nspec: [\n',
      expected: [],
    },
    {
      name: 'ignore-file with rules ignores only those, in every document',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  securityContext: {readOnlyRootFilesystem: true}\n  containers: [{name: a}]\n---\n# kube-immutable-ignore-file readonly-root-filesystem -- reason\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: b}]\n',
      expected: ['misplaced-container-field 5:21-5:43'],
    },
    {
      name: 'an ignore-file in a file without findings is an unnecessary hint',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# kube-immutable-ignore-file\n',
      expected: ['unused-suppression 5:3-5:29 (unnecessary)'],
    },
    {
      name: 'a rule an ignore-file names without a finding is an unnecessary hint',
      code: '# kube-immutable-ignore-file readonly-root-filesystem, chmod-immutability-hack\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: b}]\n',
      expected: ['unused-suppression 1:56-1:79 (unnecessary)'],
    },
  ]));

  describe('annotations', () => table([
    {
      name: 'kube-immutable.io/ignore on the object covers all of it; the unused name is a hint',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            kube-immutable.io/ignore: "readonly-root-filesystem, chmod-immutability-hack"
        spec:
          template:
            spec:
              containers:
              - name: web
      `,
      expected: ['unused-suppression 6:58-6:81 (unnecessary)'],
    },
    {
      name: 'kube-immutable.io/ignore on the pod template covers its pod spec',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            metadata:
              annotations: {kube-immutable.io/ignore: readonly-root-filesystem}
            spec:
              containers:
              - name: web
      `,
      expected: [],
    },
    {
      name: 'the annotation of one List item does not cover another',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata:
            name: a
            annotations: {kube-immutable.io/ignore: readonly-root-filesystem}
          spec:
            containers: [{name: a}]
        - apiVersion: v1
          kind: Pod
          metadata: {name: b}
          spec:
            containers: [{name: b}]
      `,
      expected: ['readonly-root-filesystem 15:19-15:26'],
    },
  ]));

  describe('peer annotations', () => {
    const pod = (annotation: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    ${annotation}\nspec:\n  containers: [{name: a}]\n`;
    table([
      { name: 'kube-linter ignore-check', code: pod('ignore-check.kube-linter.io/no-read-only-root-fs: "writes /srv"'), expected: [] },
      { name: 'kube-linter ignore-all', code: pod('kube-linter.io/ignore-all: "legacy"'), expected: [] },
      { name: 'Polaris exempt', code: pod('polaris.fairwinds.com/exempt: "true"'), expected: [] },
      { name: 'Polaris check exempt', code: pod('polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt: "true"'), expected: [] },
      { name: 'Polaris exempt "false" exempts nothing', code: pod('polaris.fairwinds.com/exempt: "false"'), expected: ['readonly-root-filesystem 8:17-8:24'] },
      { name: 'Checkov skip', code: pod('checkov.io/skip1: CKV_K8S_22=writes /srv'), expected: [] },
      { name: 'a peer check of another concern exempts nothing, and is not reported', code: pod('ignore-check.kube-linter.io/latest-tag: "pinned elsewhere"'), expected: ['readonly-root-filesystem 8:17-8:24'] },
      {
        name: 'peerAnnotations: false turns them off',
        code: pod('checkov.io/skip1: CKV_K8S_22=writes /srv'), options: { peerAnnotations: false },
        expected: ['readonly-root-filesystem 8:17-8:24'],
      },
    ]);
  });

  describe('fixes of unused suppressions', () => {
    const pod = (comment: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  ${comment}\n  - name: a\n`;
    const fixed = (code: string) => {
      const hints = analyzeText(code).findings.filter(f => f.rule === 'unused-suppression');
      return hints.map(hint => `${hint.fixes![0].title}: ${JSON.stringify(applyTextEdits(code, hint.fixes![0].edits).split('\n')[5])}`);
    };
    it('removes an unused name with its separator, or the whole comment when nothing in it is used', () => {
      assert.deepEqual(fixed(pod('# kube-immutable-ignore readonly-root-filesystem, chmod-immutability-hack -- r')),
        ['Remove chmod-immutability-hack from the suppression comment: "  # kube-immutable-ignore readonly-root-filesystem -- r"']);
      assert.deepEqual(fixed(pod('# kube-immutable-ignore chmod-immutability-hack,readonly-root-filesystem -- r')),
        ['Remove chmod-immutability-hack from the suppression comment: "  # kube-immutable-ignore readonly-root-filesystem -- r"']);
      assert.deepEqual(fixed(pod('# kube-immutable-ignore chmod-immutability-hack, no-such-rule -- r')), [
        'Remove the unused suppression comment: "  - name: a"',
        'Remove the unused suppression comment: "  - name: a"',
      ]);
      assert.deepEqual(fixed(pod('# kube-immutable-ignore -- r')), ['Remove the unused suppression comment: "  - name: a"']);
    });
    it('removes an unused ignore-file comment', () => {
      const code = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# kube-immutable-ignore-file\napiVersion: v1\nkind: Secret\n';
      const [hint] = analyzeText(code).findings;
      assert.equal(applyTextEdits(code, hint.fixes![0].edits), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\n');
    });
  });

  describe('exempt images', () => {
    const plain = TWO_CONTAINERS.replace(/ *# kube-immutable-ignore .*\n/, '');
    table([
      { name: 'the containers of an exempt repository are not checked', code: plain, options: { exemptImages: ['nginx'] }, expected: ['readonly-root-filesystem 8:5-8:18'] },
      { name: 'a trailing * matches a prefix of the name as written', code: plain, options: { exemptImages: ['envoy*'] }, expected: ['readonly-root-filesystem 6:5-6:14'] },
    ]);
    it('compares normalised repositories, whatever the tag or digest', () => {
      assert.equal(isExemptImage('docker.io/library/nginx@sha256:' + 'a'.repeat(64), ['nginx']), true);
      assert.equal(isExemptImage('nginxinc/nginx-unprivileged:1.27', ['nginx']), false);
      assert.equal(isExemptImage('ghcr.io/org/app:1', ['ghcr.io/org/*']), true);
      assert.equal(isExemptImage('ghcr.io/other/app:1', ['ghcr.io/org/*']), false);
    });
  });

  describe('directive syntax', () => {
    it('reads rules with their columns and the reason', () => {
      const directive = parseDirective('  #  kube-immutable-ignore a-b,c -- the reason ', 4)!;
      assert.equal(directive.kind, 'line');
      assert.deepEqual(directive.rules.map(r => `${r.id}@${r.range.start.line}:${r.range.start.character}-${r.range.end.character}`), ['a-b@4:27-30', 'c@4:31-32']);
      assert.equal(directive.reason, 'the reason');
    });
    it('tells the file directive apart and ignores look-alikes', () => {
      assert.equal(parseDirective('# kube-immutable-ignore-file', 0)?.kind, 'file');
      assert.equal(parseDirective('# kube-immutable-ignored x', 0), undefined);
      assert.equal(parseDirective('key: v # kube-immutable-ignore x', 0), undefined);
    });
  });

  describe('"Ignore <rule> for this container" edit', () => {
    const stream = 'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

    it('inserts the comment above the item, indented like it, and the finding goes away without a hint', () => {
      const finding = analyzeText(stream).findings.find(f => f.rule === 'readonly-root-filesystem')!;
      const edit = ignoreForContainerEdit(stream, finding)!;
      assert.deepEqual(edit, { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '    # kube-immutable-ignore readonly-root-filesystem -- <reason>\n' });
      const lines = stream.split('\n');
      lines.splice(8, 0, edit.newText.trimEnd());
      assert.deepEqual(summary(lines.join('\n')), []);
    });

    it('makes the edits of many findings at once, each chunk parsed once, as one by one', () => {
      const two = `${stream}---\napiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n  containers:\n  - name: db\n    image: mysql:8.4\n  - name: cache\n    image: redis:7\n`;
      const findings = analyzeText(two).findings;
      let parses = 0;
      const edits = ignoreForContainerEdits(two, findings, text => { parses++; return parseChunk(text); });
      assert.deepEqual(edits, findings.map(finding => ignoreForContainerEdit(two, finding)));
      // Two Pods, each parsed once, for all their findings; the ConfigMap has none.
      assert.equal(parses, 2);
      assert.deepEqual([...new Set(edits.map(edit => edit && `${edit.range.start.line} ${edit.newText.trim().split(' ')[0]}`))], ['8 #', '16 #', '18 #']);
      assert.deepEqual(edits.filter(edit => edit?.range.start.line === 18).map(edit => edit!.newText), findings.filter(f => f.container === 'cache').map(f => `  # kube-immutable-ignore ${f.rule} -- <reason>\n`));
    });

    it('keeps CRLF line endings', () => {
      const crlf = stream.replace(/\n/g, '\r\n');
      const finding = analyzeText(crlf).findings.find(f => f.rule === 'readonly-root-filesystem')!;
      assert.equal(ignoreForContainerEdit(crlf, finding)?.newText, '    # kube-immutable-ignore readonly-root-filesystem -- <reason>\r\n');
    });

    /** The text with the ignore edit of the first finding of `rule` applied, and the containers `rule` still reports there. */
    const ignored = (text: string, rule = 'readonly-root-filesystem', nth = 0) => {
      const edit = ignoreForContainerEdit(text, analyzeText(text).findings.filter(f => f.rule === rule)[nth]);
      if (!edit) return undefined;
      const lines = text.split('\n');
      lines.splice(edit.range.start.line, 0, edit.newText.replace(/\r?\n$/, ''));
      const after = lines.join('\n');
      return { after, still: analyzeText(after).findings.filter(f => f.rule === rule).map(f => f.container) };
    };

    it('puts the comment above the key of a flow sequence that holds only this container', () => {
      const flow = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: "r.example.com/a:1"}]\n';
      assert.deepEqual(ignored(flow), {
        after: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  # kube-immutable-ignore readonly-root-filesystem -- <reason>\n  containers: [{name: a, image: "r.example.com/a:1"}]\n',
        still: [],
      });
    });

    it('puts the comment above a flow item that starts its line, covering that container only', () => {
      const flow = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [\n    {name: a, image: "r.example.com/a:1"},\n    {name: b, image: "r.example.com/b:1"}\n  ]\n';
      const result = ignored(flow, 'readonly-root-filesystem', 1);
      assert.equal(result?.after.split('\n')[6], '    # kube-immutable-ignore readonly-root-filesystem -- <reason>');
      assert.deepEqual(result?.still, ['a']);
    });

    it('offers nothing when a comment line would cover other containers too', () => {
      const flow = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a}, {name: b}]\n';
      assert.equal(ignored(flow), undefined);
      const nested = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a}]}\n';
      assert.equal(ignored(nested), undefined);
      // A block item whose map starts on the line after its dash: a comment there would sit inside the item.
      const dashAlone = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  -\n    name: a\n';
      assert.equal(ignored(dashAlone), undefined);
    });
  });
});
