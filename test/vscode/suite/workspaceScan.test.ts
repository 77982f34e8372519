// The workspace scan in a real VS Code: manifests that were never opened show their diagnostics, and they
// follow the files as they are changed, created and deleted on disk (as by a `git checkout`), outside any editor.
// The files are written with `workspace.fs`, which both extension hosts have (the web worker has no node:fs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitForExactDiagnostics, workspaceUri } from './helpers';

const CREATED = `apiVersion: v1
kind: Pod
metadata:
  name: report
spec:
  containers:
    - name: report
      image: busybox:1.36.1@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7
      securityContext:
        privileged: true
`;

/** The hardening rules that fire on a securityContext that sets none of their fields, all on its key. */
const HARDENING = (range: string) => ['run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `${rule} Warning ${range}`);

function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some(document => document.uri.toString() === uri.toString());
}

describe('workspace scan', () => {
  const neverOpened = workspaceUri('closed', 'never-opened.yaml');
  const created = workspaceUri('closed', 'created-on-disk.yaml');

  after(() => Promise.resolve(vscode.workspace.fs.delete(created)).catch(() => undefined));

  it('reports on a manifest that was never opened', async () => {
    await waitForExactDiagnostics(neverOpened, [
      'mutable-image-reference Warning 9:14-9:21',
      'readonly-root-filesystem Warning 10:7-10:22',
      ...HARDENING('10:7-10:22'),
      'privileged-container Error 11:21-11:25',
    ]);
    assert.equal(isOpen(neverOpened), false);
  });

  it('follows a change of the file on disk', async () => {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(neverOpened));
    // A tag: the image is no longer `latest`, only not pinned by digest, a hint.
    await vscode.workspace.fs.writeFile(neverOpened, new TextEncoder().encode(text.replace('image: busybox\n', 'image: busybox:1.36.1\n')));
    await waitForExactDiagnostics(neverOpened, [
      'mutable-image-reference Hint 9:21-9:28',
      'readonly-root-filesystem Warning 10:7-10:22',
      ...HARDENING('10:7-10:22'),
      'privileged-container Error 11:21-11:25',
    ]);
    assert.equal(isOpen(neverOpened), false);
  });

  it('reports on a manifest created on disk, and forgets it once deleted', async () => {
    await vscode.workspace.fs.writeFile(created, new TextEncoder().encode(CREATED));
    await waitForExactDiagnostics(created, [
      'readonly-root-filesystem Warning 9:7-9:22',
      ...HARDENING('9:7-9:22'),
      'privileged-container Error 10:21-10:25',
    ]);
    await vscode.workspace.fs.delete(created);
    await waitForExactDiagnostics(created, []);
  });
});
