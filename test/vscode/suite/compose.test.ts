// A compose.yaml with nginx in a real VS Code: the finding, the quick fix, and the file after it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyEdit, describeDiagnostic, openFixture, waitForExactDiagnostics } from './helpers';

/** How many of the actions VS Code resolves (their edits are computed on resolve), as it does before applying one. */
const RESOLVED = 100;

const FIXED = `# A Compose file beside the manifests: nginx behind the app.
services:
  web:
    image: nginx:1.27.2
    ports: ["8080:80"]
    user: "101:101"
    security_opt: [no-new-privileges:true]
    cap_drop: [ALL]
    read_only: true
    tmpfs: [/var/cache/nginx, /var/run]
`;

describe('Docker Compose', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('reports a service without read_only: true, and its quick fix adds tmpfs at the paths nginx writes', async () => {
    const { document } = await openFixture('compose.yaml');
    const diagnostics = await waitForExactDiagnostics(document.uri, [
      'readonly-root-filesystem Warning 3:3-3:6',
      'mutable-image-reference Hint 4:17-4:24',
    ]);
    const readonly = diagnostics.find(d => describeDiagnostic(d).startsWith('readonly-root-filesystem'))!;
    assert.match(readonly.message, /^Service "web" does not set read_only: true: /);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, readonly.range, vscode.CodeActionKind.QuickFix.value, RESOLVED);
    const preferred = actions.filter(a => a.isPreferred);
    assert.deepEqual(preferred.map(a => a.title), ['Set read_only: true and mount tmpfs at /var/cache/nginx, /var/run'],
      `offered: ${JSON.stringify(actions.map(a => a.title))}`);
    await applyEdit(preferred[0].edit!);
    assert.equal(document.getText(), FIXED);
    await waitForExactDiagnostics(document.uri, ['mutable-image-reference Hint 4:17-4:24']);
  });
});
