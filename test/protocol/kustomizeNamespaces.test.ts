// The editor's Kustomize trees and what their files say beyond the build: the Pod Security level of the
// Namespace a kustomization's `namespace:` gives, and `# kube-immutable-ignore` comments in patches.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { fileUri, LspClient, startScanning } from './lspClient';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

/** Hardened but for a seccomp profile, which the restricted level asks for. */
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: web',
  `        image: registry.example.com/web@sha256:${'0123456789abcdef'.repeat(4)}`,
  '        securityContext:',
  '          readOnlyRootFilesystem: true',
  '          runAsNonRoot: true',
  '          allowPrivilegeEscalation: false',
  '          capabilities:',
  '            drop: [ALL]',
  '',
].join('\n');

const namespace = (level: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;

const PATCH = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: web',
  '        securityContext:',
  '          # kube-immutable-ignore readonly-root-filesystem -- writes its cache in place',
  '          readOnlyRootFilesystem: false',
  '',
].join('\n');

describe('Kustomize trees over stdio: namespaces and suppressions', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-kustomize-namespaces-'));
    const files: Record<string, string> = {
      'app/kustomization.yaml': 'namespace: prod\nresources:\n- deployment.yaml\n',
      'app/deployment.yaml': DEPLOYMENT,
      'cluster/namespace.yaml': namespace('restricted'),
      'overlay/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      'overlay/patch.yaml': PATCH,
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'base/deployment.yaml': DEPLOYMENT,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(file(path)), { recursive: true });
      writeFileSync(file(path), text);
    }
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('checks the workload against the Namespace the kustomization puts it in, and follows a change of its label', async () => {
    assert.deepEqual(summary(diagnosticsOf('app/deployment.yaml')), ['pod-security-admission 6:4-6:8']);
    assert.match(diagnosticsOf('app/deployment.yaml')[0].message, /^The namespace "prod" enforces the restricted Pod Security Standard .*Seccomp/);
    const uri = fileUri(file('app/deployment.yaml'));
    const relaxed = client.nextDiagnostics(uri, p => p.diagnostics.length === 0);
    await client.open(fileUri(file('cluster/namespace.yaml')), namespace('restricted'));
    await client.change(fileUri(file('cluster/namespace.yaml')), [{ text: namespace('baseline') }]);
    assert.deepEqual((await relaxed).diagnostics, []);
  });

  it('leaves out the finding a # kube-immutable-ignore comment of the patch suppresses', () => {
    assert.deepEqual(summary(diagnosticsOf('overlay/patch.yaml')), []);
    assert.deepEqual(summary(diagnosticsOf('base/deployment.yaml')), []);
  });

  it('shows a rule of the comment that suppresses nothing as unused, faded, and takes it out of the comment', async () => {
    const uri = fileUri(file('overlay/patch.yaml'));
    const text = PATCH.replace('readonly-root-filesystem -- writes', 'readonly-root-filesystem, run-as-root -- writes');
    await client.open(uri, PATCH);
    const unused = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    await client.change(uri, [{ text }]);
    const [diagnostic, ...others] = (await unused).diagnostics;
    assert.deepEqual(others, []);
    assert.deepEqual([diagnostic.code, diagnostic.severity, diagnostic.tags, diagnostic.range], ['unused-suppression', 4, [1], { start: { line: 10, character: 60 }, end: { line: 10, character: 71 } }]);
    assert.equal(diagnostic.message, '# kube-immutable-ignore ignores run-as-root, but run-as-root reports nothing here: remove it so that it does not hide a future finding.');
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as CodeAction[];
    assert.deepEqual(actions.map(action => action.title), ['Remove run-as-root from the suppression comment']);
    assert.equal(applyTextEdits(text, actions[0].edit!.changes![uri] as TextEdit[]), PATCH);
    // With the value fixed, the comment suppresses nothing at all.
    const fixed = PATCH.replace('readOnlyRootFilesystem: false', 'readOnlyRootFilesystem: true');
    const stale = client.nextDiagnostics(uri, p => p.diagnostics.some(d => d.range.start.character === 34));
    await client.change(uri, [{ text: fixed }]);
    assert.deepEqual(summary((await stale).diagnostics), ['unused-suppression 10:34-10:58']);
    await client.change(uri, [{ text: PATCH }]);
    await client.close(uri);
  });
});
