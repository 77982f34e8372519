// Large and dense streams in the editor: at most kubeImmutable.maxProblemsPerFile problems per file, a large stream
// published as it is analysed, quick fixes whose edits are computed when the client resolves them, and a server
// that gives back the memory of a large stream once it is closed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { heapAfterCollection, heapProbeArgs } from './heapProbe';
import { isInProgress, LspClient, SERVER } from './lspClient';

/** Deployments of one container each, `image: nginx` and no securityContext: five findings each, on lines 8 and 9 of it. */
function denseStream(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    text += `${i ? '---\n' : ''}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n`;
  }
  return text;
}

const messageIdOf = (d: Diagnostic) => (d.data as { messageId?: string } | undefined)?.messageId;
const at = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

describe('large streams over stdio', function () {
  this.timeout(120000);

  describe('problems per file', () => {
    let client: LspClient;
    before(async () => { client = await LspClient.start(); });
    after(async () => { await client.stop(); });

    it('publishes the first 1,000 problems in file order and says how many more there are, at the end of the last document', async () => {
      // 250 Deployments of 11 lines with their `---`: 1,250 findings.
      const diagnostics = await client.open('file:///workspace/dense.yaml', denseStream(250), 'yaml', 60000);
      assert.equal(diagnostics.length, 1001);
      const shown = diagnostics.slice(0, 1000);
      assert.deepEqual(shown.map(d => d.range.start.line), [...shown.map(d => d.range.start.line)].sort((a, b) => a - b));
      // The 1,000th problem is the last of Deployment 200 (lines 2189-2199, its container at 2197).
      assert.deepEqual([at(shown[0]), at(shown[999])], ['8:8-8:15', `${200 * 11 - 2}:15-${200 * 11 - 2}:20`]);
      const note = diagnostics[1000];
      assert.deepEqual({ code: note.code, messageId: messageIdOf(note), severity: note.severity, range: at(note), message: note.message }, {
        code: 'analysis-limit', messageId: 'analysis-limit/too-many-problems', severity: 3, range: '2749:0-2749:0',
        message: 'Only the first 1000 problems of this file are shown: 250 more were found. The kube-immutable CLI lists them all; '
          + 'the setting kubeImmutable.maxProblemsPerFile sets how many the editor shows.',
      });
    });

    it('publishes every problem of a file with no more than the cap', async () => {
      const diagnostics = await client.open('file:///workspace/two-hundred.yaml', denseStream(200), 'yaml', 60000);
      assert.equal(diagnostics.length, 1000);
      assert.equal(diagnostics.filter(d => d.code === 'analysis-limit').length, 0);
    });
  });

  describe('progressive publication', () => {
    it('publishes the first documents of a large stream before the rest, then the whole', async () => {
      const client = await LspClient.start();
      const uri = 'file:///workspace/large.yaml';
      const text = denseStream(4000);
      const whole = client.nextDiagnostics(uri, () => true, 100000);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const last = await whole;
      const first = client.publications.filter(p => p.uri === uri)[0];
      assert.ok(isInProgress(first), 'the first publication is of the first documents');
      const progress = first.diagnostics[first.diagnostics.length - 1];
      const analysed = Number(/^The first (\d+) documents of this file are analysed; the problems of the rest follow\.$/.exec(progress.message)?.[1]);
      assert.ok(analysed >= 1 && analysed < 4000, `${analysed} documents in the first publication`);
      // The note sits at the end of the last analysed document: where the next one's `---` starts.
      assert.equal(at(progress), `${analysed * 11 - 1}:0-${analysed * 11 - 1}:0`);
      assert.equal(messageIdOf(progress), 'analysis-limit/in-progress');
      // The problems published first are the first ones of the whole result.
      const shown = first.diagnostics.filter(d => d.code !== 'analysis-limit');
      assert.deepEqual(shown.map(d => `${d.code} ${at(d)}`), last.diagnostics.slice(0, shown.length).map(d => `${d.code} ${at(d)}`));
      assert.equal(last.diagnostics.length, 1001);
      assert.equal(last.diagnostics.filter(isInProgressNote).length, 0);
      await client.stop();
    });

    it('stops analysing a version that an edit replaced, and answers shutdown meanwhile', async () => {
      const client = await LspClient.start();
      const uri = 'file:///workspace/edited.yaml';
      const firstPublished = client.nextDiagnostics(uri, () => true, 100000, true);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: denseStream(4000) } });
      await firstPublished;
      const edited = client.nextDiagnostics(uri, p => p.version === 2, 60000);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: denseStream(1) }] });
      assert.equal((await edited).diagnostics.length, 5);
      // Version 1 was never published whole, and nothing of it came after version 2.
      const publications = client.publications.filter(p => p.uri === uri);
      assert.deepEqual(publications.filter(p => p.version === 1 && !isInProgress(p)), []);
      assert.equal(publications[publications.length - 1].version, 2);

      // Another large open: shutdown is answered while it is analysed, before its whole result.
      const other = 'file:///workspace/other.yaml';
      const started = client.nextDiagnostics(other, () => true, 100000, true);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: denseStream(4000) } });
      await started;
      await client.connection.sendRequest('shutdown');
      assert.deepEqual(client.publications.filter(p => p.uri === other && !isInProgress(p)), [], 'answered before the whole result');
      await client.stop();
    });
  });

  describe('quick fixes resolved on demand', () => {
    const TEXT = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    securityContext: {runAsNonRoot: true}\n';
    const uri = 'file:///workspace/resolve.yaml';
    const request = (client: LspClient, diagnostics: Diagnostic[]): Promise<CodeAction[]> => {
      const diagnostic = diagnostics.find(d => d.code === 'privilege-escalation')!;
      return client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    };
    const FIXED = TEXT.replace('{runAsNonRoot: true}', '{runAsNonRoot: true, allowPrivilegeEscalation: false}');

    it('sends quick fixes without edits to a client that resolves them, and computes the edit on resolve', async () => {
      const client = await LspClient.start({ capabilities: { textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } } });
      const diagnostics = await client.open(uri, TEXT);
      const actions = await request(client, diagnostics);
      const fix = actions.find(a => a.title === 'Set allowPrivilegeEscalation: false')!;
      assert.equal(fix.edit, undefined);
      // The fixes go without edits; an ignore comment is cheap to make and goes whole.
      assert.deepEqual(actions.map(a => `${a.title}: ${a.edit ? 'edit' : 'to resolve'}`), [
        'Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run: to resolve',
        'Set readOnlyRootFilesystem: true: to resolve',
        'Harden container "web" to the restricted Pod Security Standard (nginx:1.27 runs as root, so the kubelet will not start it): to resolve',
        'Set allowPrivilegeEscalation: false: to resolve',
        'Drop ALL capabilities (nginx:1.27 then cannot switch to user nginx): to resolve',
        'Ignore readonly-root-filesystem for this container: edit',
        'Ignore privilege-escalation for this container: edit',
        'Ignore capabilities for this container: edit',
      ]);
      const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', fix);
      assert.equal(applyTextEdits(TEXT, resolved.edit!.changes![uri] as TextEdit[]), FIXED);
      // After an edit, an action of the older text gets no edit.
      await client.change(uri, [{ text: TEXT.replace('web}', 'web2}') }]);
      const stale: CodeAction = await client.connection.sendRequest('codeAction/resolve', fix);
      assert.equal(stale.edit, undefined);
      await client.stop();
    });

    it('sends the edits in the code actions to a client that does not resolve them', async () => {
      const client = await LspClient.start();
      const diagnostics = await client.open(uri, TEXT);
      const fix = (await request(client, diagnostics)).find(a => a.title === 'Set allowPrivilegeEscalation: false')!;
      assert.equal(applyTextEdits(TEXT, fix.edit!.changes![uri] as TextEdit[]), FIXED);
      await client.stop();
    });
  });

  describe('memory', () => {
    // Resident memory is not what this checks: glibc keeps freed blocks of the 5.7 MB texts in its arenas, so a
    // server that holds nothing still grows from about 75 to 110-140 MB over 20-60 opens, and then levels off.
    it('gives back what a 5.7 MB stream took: the heap after the 20th close is within 10 MB of that after the first, and resident memory stays within 300 MB', async function () {
      if (!existsSync('/proc/self/status')) this.skip();
      const client = await LspClient.start({}, [], SERVER, heapProbeArgs(join(__dirname, 'heapProbe.js')));
      const text = denseStream(40_000);
      const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.process.pid}/status`, 'utf8'))![1]) / 1024;
      const heaps: { heap: number; external: number }[] = [];
      const resident: number[] = [];
      for (let i = 0; i < 20; i++) {
        const uri = `file:///workspace/dense-${i}.yaml`;
        const published = client.nextDiagnostics(uri, () => true, 100000, true);
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
        await published;
        await client.close(uri);
        resident.push(rss());
        if (i === 0 || i === 19) heaps.push(await heapAfterCollection(client.process));
      }
      await client.stop();
      const series = `heap (external) after the first and the 20th close: ${heaps.map(({ heap, external }) => `${heap.toFixed(1)} (${external.toFixed(1)})`).join(', ')} MB; resident memory after each: ${resident.map(mb => mb.toFixed(0)).join(', ')} MB`;
      // A server that kept every stream would hold 20 texts of 5.7 MB. (The external memory is not compared: see heapAfterCollection.)
      assert.ok(heaps[1].heap - heaps[0].heap <= 10, series);
      assert.ok(Math.max(...resident) <= 300, series);
    });
  });
});

function isInProgressNote(d: Diagnostic): boolean {
  return messageIdOf(d) === 'analysis-limit/in-progress';
}
