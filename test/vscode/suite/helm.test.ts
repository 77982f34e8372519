// A Helm chart in a real VS Code: the findings of its rendered Deployment sit in values.yaml, on the key the
// template prints with toYaml, and none in the template; the preferred quick fix there uncomments the field the
// file already has, and that finding is gone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyEdit, openFixture, ourDiagnostics, serverCaughtUp, waitForExactDiagnostics } from './helpers';

const AT_SECURITY_CONTEXT = (rule: string) => `${rule} Warning 5:1-5:16`;

describe('Helm charts', () => {
  after(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('puts the findings in values.yaml, and the preferred quick fix there uncomments readOnlyRootFilesystem', async () => {
    const { document: template } = await openFixture('chart', 'templates', 'deployment.yaml');
    const { document: values } = await openFixture('chart', 'values.yaml');
    const rules = ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'];
    const findings = await waitForExactDiagnostics(values.uri, rules.map(AT_SECURITY_CONTEXT));
    assert.equal(values.getText(findings[0].range), 'securityContext');
    await serverCaughtUp();
    assert.deepEqual(ourDiagnostics(template.uri), []);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', values.uri, findings[0].range, vscode.CodeActionKind.QuickFix.value);
    // The four findings share the key, so its quick fixes are the four rules' preferred fixes.
    assert.deepEqual(actions.map(action => `${action.title}${action.isPreferred ? ' (preferred)' : ''}`), [
      'Set readOnlyRootFilesystem: true (preferred)', 'Set runAsNonRoot: true (preferred)',
      'Set allowPrivilegeEscalation: false (preferred)', 'Drop ALL capabilities (preferred)',
    ]);
    await applyEdit(actions[0].edit!);
    assert.deepEqual([values.lineAt(4).text, values.lineAt(5).text], ['securityContext:', '  readOnlyRootFilesystem: true']);
    await waitForExactDiagnostics(values.uri, rules.slice(1).map(AT_SECURITY_CONTEXT));
    assert.deepEqual(ourDiagnostics(template.uri), []);
  });
});
