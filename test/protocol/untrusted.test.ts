// The language server on a workspace nobody has reviewed: a stream built to make a backtracking pattern
// take seconds, and symbolic links that loop or leave the folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { EDITOR_LIMITS } from '../../server/src/engine';
import { NORMAL_POD } from '../fuzz/samples';
import { fileUri, LspClient } from './lspClient';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

describe('language server on an untrusted workspace', function () {
  this.timeout(60_000);

  it('answers a code action on another document within 100 ms when a stream of `}{{` lines is opened', async () => {
    const client = await LspClient.start();
    try {
      const normal = 'file:///workspace/normal.yaml';
      const diagnostics = await client.open(normal, NORMAL_POD);
      // 16 ConfigMaps of one 240 KB value each: 3.8 MB, within the editor's limits, where /\{\{.*\}\}/ took 12 s.
      const configMap = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata:\n  v: ${'}{{'.repeat(80_000)}\n`;
      const stream = Array.from({ length: 16 }, (_, i) => configMap(i)).join('---\n');
      assert.ok(stream.length > 3_800_000 && stream.length < EDITOR_LIMITS.maxStreamBytes);
      const hostile = 'file:///workspace/braces.yaml';
      let analysed = false;
      const hostileDiagnostics = client.nextDiagnostics(hostile).then(params => { analysed = true; return params; });
      const codeAction = async () => {
        const asked = performance.now();
        const actions = await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: normal }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] },
        }) as { title: string }[];
        assert.ok(actions.length > 0, 'the quick fixes of the other document');
        return performance.now() - asked;
      };
      const sent = performance.now();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: hostile, languageId: 'yaml', version: 1, text: stream } });
      // The first answer comes once the server has read the 3.8 MB message; the second while it analyses the stream.
      const first = await codeAction();
      const second = await codeAction();
      const whileAnalysing = !analysed;
      await hostileDiagnostics;
      const ms = (value: number) => `${Math.round(value)} ms`;
      // Whether the analysis was still running depends on the machine's speed, so it is said, not asserted: either
      // way a synchronous step of more than 100 ms at that moment would hold the answer back.
      console.log(`      (code actions answered in ${ms(first)} after the stream was sent, then in ${ms(second)}${whileAnalysing ? ', while the stream was analysed' : ''}; the stream's diagnostics came after ${ms(performance.now() - sent)})`);
      assert.ok(second <= 100, `the code action took ${ms(second)}`);
      assert.deepEqual((await hostileDiagnostics).diagnostics, []);
    } finally {
      await client.stop();
    }
  });

  it('scans each real file once, following no link, and says once of each link that loops or leaves the folder', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'kube-immutable-links-')));
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'kube-immutable-outside-')));
    writeFileSync(join(outside, 'elsewhere.yaml'), NORMAL_POD);
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'pod.yaml'), NORMAL_POD);
    symlinkSync('..', join(root, 'sub/loop'));
    symlinkSync(outside, join(root, 'out'));
    symlinkSync('pod.yaml', join(root, 'same-pod.yaml'));
    const client = await LspClient.start({
      rootUri: fileUri(root), workspaceFolders: [{ uri: fileUri(root), name: 'links' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    try {
      client.settings = { kubeImmutable: { workspace: { scan: true } } };
      await client.progressEnded(1);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await client.progressEnded(2);
      assert.deepEqual([...client.diagnostics.keys()], [fileUri(join(root, 'pod.yaml'))]);
      assert.deepEqual(summary(client.diagnostics.get(fileUri(join(root, 'pod.yaml')))!.diagnostics),
        ['readonly-root-filesystem 2 5:4-5:13', 'run-as-root 2 5:4-5:13', 'privilege-escalation 2 5:4-5:13', 'capabilities 2 5:4-5:13', 'mutable-image-reference 4 6:16-6:21']);
      assert.deepEqual(client.log.filter(line => line.includes('not followed')), [
        `Symbolic link ${join(root, 'out')} not followed: it leads out of ${root}, to ${outside}.`,
        `Symbolic link ${join(root, 'sub/loop')} not followed: it leads to ${root}, a folder above it (a loop).`,
      ]);
    } finally {
      await client.stop();
    }
  });
});
