// Each setting of the README's settings table, given to the language server as the README names it, and its
// effect on the workspace scan.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient } from './lspClient';

const ROOT = join(__dirname, '..', '..', '..');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';
const COMPOSE_BASE = `services:\n  web:\n    image: nginx@sha256:${'0123456789abcdef'.repeat(4)}\n    user: "101"\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n`;
const COMPOSE_PROD = 'services:\n  web:\n    read_only: true\n    tmpfs: [/var/cache/nginx, /var/run]\n';
const ANNOTATED = POD.replace('  name: web\n', '  name: web\n  annotations:\n    ignore-check.kube-linter.io/no-read-only-root-fs: "logs are written to /var/log"\n');

/** The settings named in the README's settings table (`kubeImmutable.rules.<rule>` and the like). */
function readmeSettings(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `(kubeImmutable\.[^`]+)` \|/gm)].map(match => match[1]);
}

/** `{ "a.b": v }` as the nested section a client sends for `kubeImmutable`. */
function section(settings: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settings)) {
    const path = name.replace(/^kubeImmutable\./, '').split('.');
    let at = nested;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]] = value;
  }
  return nested;
}

interface Scanned { diagnostics(path: string): Diagnostic[] | undefined; client: LspClient }

/** Starts a server on a folder of `files` with the given settings, and waits for its scan to end. */
async function scan(files: Record<string, string>, settings: Record<string, unknown>): Promise<Scanned> {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-settings-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const client = await LspClient.start({
    rootUri: fileUri(root), workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  });
  client.settings = { kubeImmutable: section(settings) };
  if (settings['kubeImmutable.workspace.scan'] !== false) await client.progressEnded(1);
  await client.open(fileUri(join(root, 'open.yaml')), POD);
  return { client, diagnostics: path => client.diagnostics.get(fileUri(join(root, path)))?.diagnostics };
}

const rulesOf = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).map(d => `${d.code} ${d.severity}`);

describe('settings of the README over stdio', function () {
  this.timeout(60000);
  const RUNS: Record<string, () => Promise<void>> = {
    'kubeImmutable.rules.<rule>': async () => {
      const { client, diagnostics } = await scan({ 'pod.yaml': POD }, { 'kubeImmutable.rules.readonly-root-filesystem': 'error', 'kubeImmutable.rules.capabilities': 'off' });
      assert.deepEqual(rulesOf(diagnostics('pod.yaml')), ['readonly-root-filesystem 1', 'run-as-root 2', 'privilege-escalation 2', 'mutable-image-reference 4']);
      await client.stop();
    },
    'kubeImmutable.exclude': async () => {
      const { client, diagnostics } = await scan({ 'pod.yaml': POD, 'vendor/upstream/pod.yaml': POD }, { 'kubeImmutable.exclude': ['vendor/**'] });
      assert.equal(diagnostics('pod.yaml')?.length, 5);
      assert.equal(diagnostics('vendor/upstream/pod.yaml'), undefined);
      await client.stop();
    },
    'kubeImmutable.peerAnnotations': async () => {
      const honoured = await scan({ 'pod.yaml': ANNOTATED }, {});
      assert.deepEqual(rulesOf(honoured.diagnostics('pod.yaml')), ['run-as-root 2', 'privilege-escalation 2', 'capabilities 2', 'mutable-image-reference 4']);
      await honoured.client.stop();
      const ignored = await scan({ 'pod.yaml': ANNOTATED }, { 'kubeImmutable.peerAnnotations': false });
      assert.deepEqual(rulesOf(ignored.diagnostics('pod.yaml')), ['readonly-root-filesystem 2', 'run-as-root 2', 'privilege-escalation 2', 'capabilities 2', 'mutable-image-reference 4']);
      await ignored.client.stop();
    },
    'kubeImmutable.workspace.scan': async () => {
      const { client, diagnostics } = await scan({ 'pod.yaml': POD }, { 'kubeImmutable.workspace.scan': false });
      assert.equal(diagnostics('open.yaml')?.length, 5);
      assert.equal(diagnostics('pod.yaml'), undefined);
      await client.stop();
    },
    'kubeImmutable.podSecurity': async () => {
      const { client, diagnostics } = await scan({ 'pod.yaml': POD }, { 'kubeImmutable.podSecurity': { namespaces: { '*': 'restricted' } } });
      assert.deepEqual(diagnostics('pod.yaml')?.filter(d => d.code === 'pod-security-admission').map(d => d.severity), [1]);
      await client.stop();
    },
    'kubeImmutable.maxProblemsPerFile': async () => {
      const { client, diagnostics } = await scan({ 'pod.yaml': POD }, { 'kubeImmutable.maxProblemsPerFile': 2 });
      assert.deepEqual(diagnostics('pod.yaml')?.map(d => `${d.code} ${d.range.start.line}:${d.range.start.character}`), [
        'readonly-root-filesystem 6:4', 'run-as-root 6:4', 'analysis-limit 8:0',
      ]);
      assert.equal(diagnostics('pod.yaml')![2].message, 'Only the first 2 problems of this file are shown: 3 more were found. '
        + 'The kube-immutable CLI lists them all; the setting kubeImmutable.maxProblemsPerFile sets how many the editor shows.');
      assert.equal(diagnostics('open.yaml')?.length, 3);
      await client.stop();
    },
    'kubeImmutable.compose': async () => {
      const files = { 'deploy/compose.yaml': COMPOSE_BASE, 'deploy/compose.prod.yaml': COMPOSE_PROD };
      // Without the setting, compose.prod.yaml is not merged: compose.yaml alone lacks read_only.
      const alone = await scan(files, {});
      assert.deepEqual(rulesOf(alone.diagnostics('deploy/compose.yaml')), ['readonly-root-filesystem 2']);
      await alone.client.stop();
      const chained = await scan(files, { 'kubeImmutable.compose': { projects: { 'deploy/': { files: ['compose.yaml', 'compose.prod.yaml'] } } } });
      assert.deepEqual(rulesOf(chained.diagnostics('deploy/compose.yaml')), []);
      assert.deepEqual(rulesOf(chained.diagnostics('deploy/compose.prod.yaml')), []);
      await chained.client.stop();
    },
  };

  it('has a run for each setting of the README', () => {
    assert.deepEqual(Object.keys(RUNS), readmeSettings());
  });

  for (const [setting, runSetting] of Object.entries(RUNS)) it(`${setting} works as the README says`, runSetting);
});
