// A chart rendered again after an edit of its values.yaml: a document whose text did not change is not parsed
// again, a changed one is parsed once for both its analysis and the placement of its findings, and what is
// reported is what a first render of the edited chart reports.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver/node';
import { AnalysisResult, analyzeText, AnalyzeOptions, parseChunk } from '../../../server/src/engine';
import { CachedDiskFileSystem } from '../../../server/src/diskFileSystem';
import { HELM_CHARTS } from '../../../server/src/lsp/helmCharts';
import { KustomizeTrees } from '../../../server/src/lsp/kustomizeTrees';
import { renderChartSource } from '../../../server/src/sources/helm/chartSource';
import { SourceFileSystem } from '../../../server/src/sources/origin';
import { Analyze, findingsOfRendering, SourceFinding } from '../../../server/src/sources/sourceFindings';
import { SourceTexts } from '../../../server/src/sources/sourceTexts';
import { memoryFileSystem } from './memoryFileSystem';

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-${name}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: ${name}
          image: nginx:1.27
          ports:
            - containerPort: {{ .Values.${name}.port }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
`;

/** A Deployment with nothing to report: its parse is the analysis's alone. */
const HARDENED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-h
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: h
          image: registry.example.com/h@sha256:${'0123456789abcdef'.repeat(4)}
          securityContext:
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
`;

const CHART: Record<string, string> = {
  '/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
  '/c/values.yaml': 'replicaCount: 2\nsecurityContext:\n  readOnlyRootFilesystem: true\na:\n  port: 8000\nb:\n  port: 9000\n',
  '/c/templates/a.yaml': deployment('a'),
  '/c/templates/b.yaml': deployment('b'),
  '/c/templates/h.yaml': HARDENED,
};

/** What a finding says and where, with its related places: all that is published of it. */
const reported = (findings: SourceFinding[]) => findings.map(({ file, range, rule, message, locations }) => ({ file, range, rule, message, locations }));

describe('a chart rendered again after an edit of its values', () => {
  /** The chart's files, changed by `edit`, linted with `sources` and analyses kept by text, as the language server keeps them. */
  function lint(sources: SourceTexts, files: Record<string, string>, analyze: Analyze, options: AnalyzeOptions = {}): SourceFinding[] {
    const { rendering } = renderChartSource('/c', memoryFileSystem(files));
    return findingsOfRendering(rendering, sources, options, analyze);
  }

  it('parses a document whose text changed once, for its analysis and its placement, and no other', () => {
    let files = { ...CHART };
    const current: SourceFileSystem = {
      readFile: path => files[path],
      readDirectory: path => memoryFileSystem(files).readDirectory(path),
      isDirectory: path => memoryFileSystem(files).isDirectory(path),
    };
    const parsed: string[] = [];
    const sources = new SourceTexts(current, text => { parsed.push(text.slice(text.indexOf('name:'), text.indexOf('\n', text.indexOf('name:')))); return parseChunk(text); });
    const analyses = new Map<string, AnalysisResult>();
    const analyze: Analyze = (text, options, fixes, parse) => analyses.get(text) ?? analyses.set(text, analyzeText(text, options, fixes, parse)).get(text)!;
    const edit = (from: string, to: string) => {
      files = { ...files, '/c/values.yaml': files['/c/values.yaml'].replace(from, to) };
      sources.forget('/c/values.yaml');
      parsed.length = 0;
      const findings = lint(sources, files, analyze);
      assert.deepEqual(reported(findings), reported(lint(new SourceTexts(memoryFileSystem(files)), files, analyzeText)));
      return findings;
    };

    const first = lint(sources, files, analyze);
    assert.deepEqual(parsed, ['name: release-name-a', 'name: release-name-b', 'name: release-name-h']);
    // b's port: only b's document changed.
    const afterPort = edit('port: 9000', 'port: 9001');
    assert.deepEqual(parsed, ['name: release-name-b']);
    assert.deepEqual(reported(afterPort), reported(first));
    // replicaCount, which both templates read (also one more character, moving what follows in values.yaml).
    const afterReplicas = edit('replicaCount: 2', 'replicaCount: 10');
    assert.deepEqual(parsed, ['name: release-name-a', 'name: release-name-b', 'name: release-name-h']);
    assert.deepEqual(afterReplicas.map(f => `${f.file}:${f.range.start.line + 1} ${f.rule} ${f.container}`), [
      '/c/templates/a.yaml:10 writable-paths-unmounted a', '/c/templates/a.yaml:11 mutable-image-reference a',
      '/c/values.yaml:2 run-as-root a', '/c/values.yaml:2 privilege-escalation a', '/c/values.yaml:2 capabilities a',
      '/c/templates/b.yaml:10 writable-paths-unmounted b', '/c/templates/b.yaml:11 mutable-image-reference b',
      '/c/values.yaml:2 run-as-root b', '/c/values.yaml:2 privilege-escalation b', '/c/values.yaml:2 capabilities b',
    ]);
  });

  it('publishes in the language server what a server that starts on the edited chart publishes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-immutable-chart-edits-'));
    try {
      for (const [path, text] of Object.entries(CHART)) { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); }
      const values = join(root, 'c', 'values.yaml');
      const open = new Map<string, string>();
      const server = () => {
        const published = new Map<string, Diagnostic[]>();
        const trees = new KustomizeTrees({
          toPath: uri => fileURLToPath(uri), toUri: path => pathToFileURL(path).href, optionsFor: () => ({}),
          publish: (path, diagnostics) => published.set(path, diagnostics), released: () => {}, tell: message => assert.fail(message),
        }, new CachedDiskFileSystem(path => open.get(path)), [HELM_CHARTS]);
        trees.setFolders([root]);
        return { trees, published };
      };
      const editing = server();
      for (const [from, to] of [['port: 9000', 'port: 9001'], ['replicaCount: 2', 'replicaCount: 10'], ['readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false']]) {
        open.set(values, (open.get(values) ?? CHART['/c/values.yaml']).replace(from, to));
        editing.trees.changed(pathToFileURL(values).href);
        await new Promise(resolve => setTimeout(resolve, 50));
        const fresh = server();
        assert.deepEqual(editing.published, fresh.published, `after ${to}`);
        assert.ok([...fresh.published.values()].some(diagnostics => diagnostics.length));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

