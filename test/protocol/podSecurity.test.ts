// pod-security-admission in the editor: a Namespace in one file, a Deployment in another, and the findings
// following the Namespace's label as it changes.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { fileUri, LspClient } from './lspClient';

const namespace = (level: string) => [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: shop',
  '  labels:',
  `    pod-security.kubernetes.io/enforce: ${level}`,
  '',
].join('\n');

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: web',
  '        image: registry.example.com/shop/web:1.4.2',
  '',
].join('\n');

const admission = (diagnostics: Diagnostic[]) => diagnostics.filter(d => d.code === 'pod-security-admission');
const hasAdmission = (p: PublishDiagnosticsParams) => admission(p.diagnostics).length > 0;

describe('pod-security-admission over stdio, with the Namespace in another file', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  let webUri: string;
  let nsUri: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-pss-'));
    writeFileSync(join(root, 'namespace.yaml'), namespace('restricted'));
    writeFileSync(join(root, 'web.yaml'), DEPLOYMENT);
    webUri = fileUri(join(root, 'web.yaml'));
    nsUri = fileUri(join(root, 'namespace.yaml'));
    client = await LspClient.start({
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    client.settings = { kubeImmutable: { workspace: { scan: true } } };
    await client.progressEnded(1);
  });

  after(async () => { await client.stop(); });

  it('gives the Deployment one error listing its failed controls, with the Namespace label as related information', () => {
    const found = admission(client.diagnostics.get(webUri)?.diagnostics ?? []);
    assert.equal(found.length, 1);
    const [diagnostic] = found;
    assert.equal(diagnostic.severity, 1);
    assert.deepEqual(diagnostic.range, { start: { line: 7, character: 4 }, end: { line: 7, character: 8 } });
    assert.deepEqual(diagnostic.data, { messageId: 'pod-security-admission/enforce' });
    assert.equal(diagnostic.message, 'The namespace "shop" enforces the restricted Pod Security Standard (latest) '
      + '(pod-security.kubernetes.io/enforce: restricted), and this pod template fails 4 of its controls: '
      + 'Privilege Escalation (container "web" must set securityContext.allowPrivilegeEscalation=false); '
      + 'Running as Non-root (pod or container "web" must set securityContext.runAsNonRoot=true); '
      + 'Seccomp (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"); '
      + 'Capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]). '
      + 'So the API server accepts this Deployment but rejects every pod it creates: none of them ever runs. '
      + 'Fix each control (see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).');
    assert.deepEqual(diagnostic.relatedInformation?.map(r => `${r.location.uri === nsUri ? 'namespace.yaml' : 'web.yaml'} `
      + `${r.location.range.start.line}:${r.location.range.start.character}-${r.location.range.end.line}:${r.location.range.end.character} ${r.message}`), [
      'web.yaml 9:8-9:17 Privilege Escalation: Container "web" does not set allowPrivilegeEscalation: false.',
      'web.yaml 9:8-9:17 Running as Non-root: Container "web" does not set runAsNonRoot: true, nor does the pod.',
      'web.yaml 9:8-9:17 Seccomp: Container "web" sets no seccomp profile, nor does the pod.',
      'web.yaml 9:8-9:17 Capabilities: Container "web" does not drop ALL capabilities.',
      'namespace.yaml 5:4-5:50 The namespace "shop" sets pod-security.kubernetes.io/enforce: restricted.',
    ]);
  });

  it('clears it when the Namespace\'s label changes to privileged, and brings it back with restricted', async () => {
    const cleared = client.nextDiagnostics(webUri, p => !hasAdmission(p));
    await client.open(nsUri, namespace('privileged'));
    await cleared;
    const back = client.nextDiagnostics(webUri, hasAdmission);
    await client.change(nsUri, [{ text: namespace('restricted') }]);
    assert.equal(admission((await back).diagnostics).length, 1);
  });

  it('follows the label when the closed Namespace file changes on disk', async () => {
    // A Namespace has no findings of its own, so closing it publishes nothing to wait for.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: nsUri } });
    const cleared = client.nextDiagnostics(webUri, p => !hasAdmission(p));
    writeFileSync(join(root, 'namespace.yaml'), namespace('baseline'));
    await client.filesChanged([{ uri: nsUri, type: 2 }]);
    await cleared;
    const back = client.nextDiagnostics(webUri, hasAdmission);
    writeFileSync(join(root, 'namespace.yaml'), namespace('restricted'));
    await client.filesChanged([{ uri: nsUri, type: 2 }]);
    assert.equal(admission((await back).diagnostics).length, 1);
  });

  it('clears it with "Fix all Pod Security violations of this pod"', async () => {
    const diagnostics = await client.open(webUri, DEPLOYMENT);
    const [diagnostic] = admission(diagnostics);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: webUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
    }) as CodeAction[];
    const fixAll = actions.find(action => action.title === 'Fix all Pod Security violations of this pod');
    assert.ok(fixAll, actions.map(action => action.title).join(', '));
    assert.equal(fixAll.isPreferred, true);
    const fixed = applyTextEdits(DEPLOYMENT, fixAll.edit!.changes![webUri]);
    assert.equal(fixed, DEPLOYMENT.replace('1.4.2\n', '1.4.2\n' + [
      '        securityContext:',
      '          allowPrivilegeEscalation: false',
      '          capabilities:',
      '            drop: [ALL]',
      '      securityContext:',
      '        runAsNonRoot: true',
      '        seccompProfile:',
      '          type: RuntimeDefault',
      '',
    ].join('\n')));
    assert.deepEqual(admission(await client.change(webUri, [{ text: fixed }])), []);
  });
});
