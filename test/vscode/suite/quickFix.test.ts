// Quick fixes in a real VS Code: the fixes that VS Code offers on a diagnostic, applied as the editor
// applies them, give the exact expected text and the diagnostic goes away.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyEdit, describeDiagnostic, openFixture, waitForExactDiagnostics } from './helpers';

/** How many of the actions VS Code resolves (their edits are computed on resolve), as it does before applying one. */
const RESOLVED = 100;

// quick-fix.yaml: readOnlyRootFilesystem sits in the pod securityContext, where Kubernetes ignores it;
// its image is pinned by tag, not digest (a hint); the container is not hardened yet.
const ORIGINAL_DIAGNOSTICS = [
  'misplaced-container-field Warning 8:5-8:27',
  'readonly-root-filesystem Warning 10:7-10:16',
  'privilege-escalation Warning 10:7-10:16',
  'capabilities Warning 10:7-10:16',
  'mutable-image-reference Hint 11:43-11:49',
];

/** quick-fix.yaml after the preferred fix of misplaced-container-field. */
const FIXED = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: api
      image: registry.example.com/shop/api:2.3.1
      securityContext:
        readOnlyRootFilesystem: true
`;

describe('quick fixes', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('the preferred quick fix moves a misplaced field into the containers and clears both findings', async () => {
    const { document } = await openFixture('quick-fix.yaml');
    const diagnostics = await waitForExactDiagnostics(document.uri, ORIGINAL_DIAGNOSTICS);
    const misplaced = diagnostics.find(d => describeDiagnostic(d).startsWith('misplaced-container-field'))!;

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, misplaced.range, vscode.CodeActionKind.QuickFix.value, RESOLVED);
    // (VS Code leaves `diagnostics` out of the actions this command returns; the range meets no other finding.)
    const offered = actions.map(a => ({ title: a.title, isPreferred: a.isPreferred }));
    const preferred = actions.filter(a => a.isPreferred);
    assert.deepEqual(preferred.map(a => a.title), ['Move readOnlyRootFilesystem into the securityContext of every container'],
      `offered: ${JSON.stringify(offered, null, 2)}`);
    assert.ok(preferred[0].edit, 'the quick fix carries its edit');

    await applyEdit(preferred[0].edit);
    assert.equal(document.getText(), FIXED);
    // The image is pinned by tag, not digest: that hint stays, and so do the hardening findings, now on the
    // container's new securityContext.
    await waitForExactDiagnostics(document.uri, [
      'mutable-image-reference Hint 10:43-10:49',
      'privilege-escalation Warning 11:7-11:22',
      'capabilities Warning 11:7-11:22',
    ]);
  });

  it('"Ignore <rule> for this container" inserts a suppression comment above the container, and the finding goes', async () => {
    const { document } = await openFixture('quick-fix.yaml');
    const diagnostics = await waitForExactDiagnostics(document.uri, ORIGINAL_DIAGNOSTICS);
    const readonly = diagnostics.find(d => describeDiagnostic(d).startsWith('readonly-root-filesystem'))!;

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, readonly.range, vscode.CodeActionKind.QuickFix.value, RESOLVED);
    const ignore = actions.find(a => a.title === 'Ignore readonly-root-filesystem for this container');
    assert.ok(ignore?.edit, `offered: ${JSON.stringify(actions.map(a => a.title))}`);

    await applyEdit(ignore.edit);
    const lines = document.getText().split('\n');
    assert.deepEqual(lines.slice(8, 11), [
      '  containers:',
      '    # kube-immutable-ignore readonly-root-filesystem -- <reason>',
      '    - name: api',
    ]);
    await waitForExactDiagnostics(document.uri, [
      'misplaced-container-field Warning 8:5-8:27',
      'privilege-escalation Warning 11:7-11:16',
      'capabilities Warning 11:7-11:16',
      'mutable-image-reference Hint 12:43-12:49',
    ]);
  });
});
