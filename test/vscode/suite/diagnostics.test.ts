// Diagnostics in a real VS Code: the extension activates for YAML, starts its language server and
// publishes its findings on the files of the fixture workspace (test/vscode/workspace/).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyEdit, EXTENSION_ID, openFixture, ourDiagnostics, serverCaughtUp, summarize, waitForDiagnostics,
  waitForSomeDiagnostics, workspaceUri,
} from './helpers';

const READONLY_MESSAGE = /^Container "web" does not set readOnlyRootFilesystem: true: /;

describe('diagnostics', () => {
  it('the extension activates when a YAML file opens', async () => {
    await openFixture('deployment.yaml');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded (extensionDevelopmentPath must be the repository root)`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('reports readonly-root-filesystem on the container securityContext key', async () => {
    const editor = await openFixture('deployment.yaml');
    const diagnostics = await waitForSomeDiagnostics(editor.document.uri);
    assert.deepEqual(diagnostics.map(summarize).map(({ message, ...rest }) => rest), [{
      // Line 18 of deployment.yaml, `securityContext` (0-based positions).
      range: [17, 10, 17, 25],
      severity: 'Warning',
      code: 'readonly-root-filesystem',
      source: 'kube-immutable',
    }]);
    assert.match(diagnostics[0].message, READONLY_MESSAGE);
    assert.equal(editor.document.getText(diagnostics[0].range), 'securityContext');
  });

  it('links the rule code to its documentation', async () => {
    const { document } = await openFixture('deployment.yaml');
    const [diagnostic] = await waitForSomeDiagnostics(document.uri);
    assert.ok(typeof diagnostic.code === 'object', 'the code carries a link (codeDescription)');
    assert.equal(diagnostic.code.value, 'readonly-root-filesystem');
    assert.match(diagnostic.code.target.toString(), /readonly-root-filesystem/);
  });

  it('updates as the manifest is edited, without saving', async () => {
    const { document } = await openFixture('deployment.yaml');
    await waitForSomeDiagnostics(document.uri);
    const line = document.lineAt(18); // `            runAsNonRoot: true`, inside the container securityContext
    assert.equal(line.text.trim(), 'runAsNonRoot: true');
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);

    const fix = new vscode.WorkspaceEdit();
    fix.insert(document.uri, line.range.end, `\n${indent}readOnlyRootFilesystem: true`);
    await applyEdit(fix);
    await waitForDiagnostics(document.uri, d => d.length === 0, 'no diagnostics once readOnlyRootFilesystem: true is set');
    assert.equal(document.isDirty, true);

    // Put the fixture back as it was, and the finding with it.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(document.uri, new vscode.Range(line.range.end, document.lineAt(19).range.end));
    await applyEdit(undo);
    const back = await waitForSomeDiagnostics(document.uri);
    assert.deepEqual(back.map(summarize).map(d => [d.code, ...d.range]), [['readonly-root-filesystem', 17, 10, 17, 25]]);
    // Revert rather than save: saving may run the extension's fixes on save.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
  });

  it('reports nothing on YAML that is not a Kubernetes manifest', async () => {
    const { document } = await openFixture('not-kubernetes.yaml');
    await serverCaughtUp();
    assert.deepEqual(ourDiagnostics(document.uri).map(summarize), []);
  });

  it('the fixture workspace is a fresh copy', () => {
    // Tests may edit and save fixtures: the runners copy test/vscode/workspace/ first.
    assert.doesNotMatch(workspaceUri().fsPath, /test[\\/]vscode[\\/]workspace$/);
  });
});
