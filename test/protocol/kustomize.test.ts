import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { fileUri, LspClient, startScanning } from './lspClient';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

const BASE_DEPLOYMENT = [
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
  '          readOnlyRootFilesystem: false',
  '',
].join('\n');

/** Two settings undone by one patch. */
const QA_PATCH = PATCH.replace('          readOnlyRootFilesystem: false\n', '          readOnlyRootFilesystem: false\n          allowPrivilegeEscalation: true\n');

const PROD_KUSTOMIZATION = 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n';

describe('Kustomize trees over stdio', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-kustomize-'));
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'base/deployment.yaml': BASE_DEPLOYMENT,
      'overlays/prod/kustomization.yaml': PROD_KUSTOMIZATION,
      'overlays/prod/patch.yaml': PATCH,
      'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\n',
      'overlays/staging/kustomization.yaml': 'resources:\n- ../../base\n',
      'overlays/qa/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n',
      'overlays/qa/patch.yaml': QA_PATCH,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(file(path)), { recursive: true });
      writeFileSync(file(path), text);
    }
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('puts the finding on the line of the patch that sets readOnlyRootFilesystem: false, and none in the base', () => {
    assert.deepEqual(summary(diagnosticsOf('overlays/prod/patch.yaml')), ['readonly-root-filesystem 10:34-10:39']);
    const [diagnostic] = diagnosticsOf('overlays/prod/patch.yaml');
    assert.deepEqual(diagnostic.relatedInformation?.map(r => `${r.location.uri} ${r.message}`), [
      `${fileUri(file('overlays/prod/kustomization.yaml'))} Rendered by overlays/prod as Deployment web.`,
    ]);
    for (const path of ['base/deployment.yaml', 'base/kustomization.yaml', 'overlays/prod/kustomization.yaml', 'overlays/dev/kustomization.yaml']) {
      assert.deepEqual(diagnosticsOf(path), [], path);
    }
  });

  it('fixes it in the patch, and the finding is gone', async () => {
    const uri = fileUri(file('overlays/prod/patch.yaml'));
    assert.deepEqual(summary(await client.open(uri, PATCH)), ['readonly-root-filesystem 10:34-10:39']);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 10, character: 34 }, end: { line: 10, character: 34 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    const preferred = actions.find(action => action.isPreferred)!;
    assert.equal(preferred.title, 'Set readOnlyRootFilesystem: true');
    const edits = preferred.edit!.changes![uri] as TextEdit[];
    assert.deepEqual(Object.keys(preferred.edit!.changes!), [uri]);
    const fixed = applyTextEdits(PATCH, edits);
    assert.equal(fixed.split('\n')[10], '          readOnlyRootFilesystem: true');
    assert.deepEqual(await client.change(uri, [{ text: fixed }]), []);
  });

  it('fixes all the findings of a patch on request of source.fixAll, in that patch', async () => {
    const uri = fileUri(file('overlays/qa/patch.yaml'));
    assert.deepEqual(summary(await client.open(uri, QA_PATCH)), ['readonly-root-filesystem 10:34-10:39', 'privilege-escalation 11:36-11:40']);
    const start = { line: 0, character: 0 };
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start, end: start }, context: { diagnostics: [], only: ['source.fixAll.kube-immutable'] },
    }) as CodeAction[];
    assert.deepEqual(actions.map(action => [action.title, action.kind]), [['Fix all kube-immutable problems that have an automatic fix (2)', 'source.fixAll.kube-immutable']]);
    const fixed = applyTextEdits(QA_PATCH, actions[0].edit!.changes![uri] as TextEdit[]);
    assert.equal(fixed, PATCH.replace('          readOnlyRootFilesystem: false\n', '          readOnlyRootFilesystem: true\n          allowPrivilegeEscalation: false\n'));
    assert.deepEqual(await client.change(uri, [{ text: fixed }]), []);
  });

  it('renders a new overlay whose kustomization file is named Kustomization once the watcher reports it', async () => {
    mkdirSync(file('overlays/uat'), { recursive: true });
    writeFileSync(file('overlays/uat/Kustomization'), 'resources:\n- ../../base\npatches:\n- path: patch.json\n');
    writeFileSync(file('overlays/uat/patch.json'), JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', securityContext: { privileged: true } }] } } } }, null, 2));
    const inPatch = client.nextDiagnostics(fileUri(file('overlays/uat/patch.json')), p => p.diagnostics.length > 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: ['overlays/uat/Kustomization', 'overlays/uat/patch.json'].map(path => ({ uri: fileUri(file(path)), type: 1 })),
    });
    assert.deepEqual(summary((await inPatch).diagnostics), ['privileged-container 13:28-13:32']);
  });

  it('reports a broken kustomization on the line at fault while the other trees still work', async () => {
    const uri = fileUri(file('overlays/dev/kustomization.yaml'));
    await client.open(uri, 'resources:\n- ../../base\n');
    const broken = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'resources:\n- ../../base\n- missing.yaml\n' }] });
    const { diagnostics } = await broken;
    assert.deepEqual(diagnostics.map(d => `${summary([d])[0]} ${d.severity} ${d.message}`), ['kustomize-build 2:2-2:14 1 Resource missing.yaml does not exist']);
  });

  it('re-renders the overlays of a base edited in the editor: their shared finding once in the base, the patched one in the patch', async () => {
    const uri = fileUri(file('base/deployment.yaml'));
    await client.open(uri, BASE_DEPLOYMENT);
    const unhardened = BASE_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '');
    const next = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    const inPatch = client.nextDiagnostics(fileUri(file('overlays/prod/patch.yaml')), p => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: unhardened }] });
    const { diagnostics } = await next;
    assert.deepEqual(summary(diagnostics), ['privilege-escalation 10:8-10:23']);
    assert.deepEqual(diagnostics[0].relatedInformation?.map(r => r.message), [
      'Rendered by overlays/dev as Deployment web.', 'Rendered by overlays/staging as Deployment web.',
    ]);
    // overlays/prod patches the container, so its finding about the container goes to that patch.
    assert.deepEqual(summary((await inPatch).diagnostics), ['privilege-escalation 9:8-9:23']);
  });
});

describe('a quick fix offered before a Kustomize tree took its file over', function () {
  this.timeout(60000);

  it('is resolved by the tree that covers the file now, for the same text', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-immutable-taken-over-'));
    const deployment = BASE_DEPLOYMENT.replace('          allowPrivilegeEscalation: false\n', '');
    writeFileSync(join(root, 'deployment.yaml'), deployment);
    const client = await LspClient.start({
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } },
      },
    });
    try {
      client.settings = { kubeImmutable: { workspace: { scan: true } } };
      await client.progressEnded(1);
      const uri = fileUri(join(root, 'deployment.yaml'));
      const alone = await client.open(uri, deployment);
      assert.deepEqual(summary(alone), ['privilege-escalation 10:8-10:23']);
      assert.equal(alone[0].relatedInformation, undefined);
      const actions = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: alone[0].range, context: { diagnostics: [], only: ['quickfix'] },
      }) as CodeAction[];
      const offered = actions.find(action => action.title === 'Set allowPrivilegeEscalation: false')!;
      assert.equal(offered.edit, undefined);

      // A kustomization now lists the file: its tree analyses it from here on.
      const kustomization = join(root, 'kustomization.yaml');
      writeFileSync(kustomization, 'resources:\n- deployment.yaml\n');
      const byTheTree = client.nextDiagnostics(uri, p => p.diagnostics.some(d => d.relatedInformation?.length));
      await client.filesChanged([{ uri: fileUri(kustomization), type: 1 }]);
      assert.deepEqual(summary((await byTheTree).diagnostics), ['privilege-escalation 10:8-10:23']);
      // A change of settings analyses the open documents again: this one is the tree's, and no longer has its own.
      const again = client.nextDiagnostics(uri, p => p.diagnostics.some(d => d.relatedInformation?.length));
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await again;

      const resolved = await client.connection.sendRequest('codeAction/resolve', offered) as CodeAction;
      assert.deepEqual(Object.keys(resolved.edit!.changes!), [uri]);
      assert.equal(applyTextEdits(deployment, resolved.edit!.changes![uri] as TextEdit[]), `${deployment}          allowPrivilegeEscalation: false\n`);
    } finally {
      await client.stop();
    }
  });
});
