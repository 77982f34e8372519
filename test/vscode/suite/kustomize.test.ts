// A Kustomize tree in a real VS Code: the overlay's patch shows the finding its build has, where the patch sets
// the value; its quick fix edits the patch, and the finding is gone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyEdit, openFixture, ourDiagnostics, serverCaughtUp, waitForExactDiagnostics, workspaceUri } from './helpers';

describe('Kustomize trees', () => {
  after(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('shows the finding of the build on the patch line, and its quick fix in the patch clears it', async () => {
    const { document } = await openFixture('kustomize', 'overlays', 'prod', 'patch.yaml');
    const [finding] = await waitForExactDiagnostics(document.uri, ['readonly-root-filesystem Warning 11:37-11:42']);
    assert.equal(document.getText(finding.range), 'false');
    assert.deepEqual(ourDiagnostics(workspaceUri('kustomize', 'base', 'deployment.yaml')), []);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.filter(action => action.isPreferred);
    assert.deepEqual(preferred.map(action => action.title), ['Set readOnlyRootFilesystem: true'], `offered: ${JSON.stringify(actions.map(a => a.title))}`);
    await applyEdit(preferred[0].edit!);
    assert.equal(document.lineAt(10).text, '            readOnlyRootFilesystem: true');
    await waitForExactDiagnostics(document.uri, []);
    await serverCaughtUp();
    assert.deepEqual(ourDiagnostics(workspaceUri('kustomize', 'base', 'deployment.yaml')), []);
  });
});
