// Settings in a real VS Code: a change to a kubeImmutable.* setting takes effect at once, without a reload,
// on the open documents and on the files of the workspace scan.
import { openFixture, setWorkspaceSetting, waitForExactDiagnostics, workspaceUri } from './helpers';

const SECTION = 'kubeImmutable';
// rule-settings.yaml with the default settings.
const DEFAULTS = [
  'readonly-root-filesystem Warning 9:7-9:22',
  'run-as-root Warning 9:7-9:22',
  'capabilities Warning 9:7-9:22',
  'mutable-image-reference Hint 8:45-8:51',
];

describe('settings', () => {
  afterEach(async () => {
    for (const key of ['rules.readonly-root-filesystem', 'rules.run-as-root', 'workspace.scan']) {
      await setWorkspaceSetting(SECTION, key, undefined);
    }
  });

  it('a rule severity changed in the settings applies to the open document', async () => {
    const { document } = await openFixture('rule-settings.yaml');
    await waitForExactDiagnostics(document.uri, DEFAULTS);
    await setWorkspaceSetting(SECTION, 'rules.readonly-root-filesystem', 'error');
    await waitForExactDiagnostics(document.uri, ['readonly-root-filesystem Error 9:7-9:22', ...DEFAULTS.slice(1)]);
  });

  it('a rule turned off, and another lowered to information', async () => {
    const { document } = await openFixture('rule-settings.yaml');
    await waitForExactDiagnostics(document.uri, DEFAULTS);
    await setWorkspaceSetting(SECTION, 'rules.readonly-root-filesystem', 'off');
    await waitForExactDiagnostics(document.uri, DEFAULTS.slice(1));
    await setWorkspaceSetting(SECTION, 'rules.run-as-root', 'info');
    await waitForExactDiagnostics(document.uri, ['run-as-root Information 9:7-9:22', ...DEFAULTS.slice(2)]);
  });

  it('turning the workspace scan off clears the files that are not open, and on brings them back', async () => {
    const closed = workspaceUri('closed', 'scan-setting.yaml');
    const found = [...['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `${rule} Warning 8:7-8:19`),
      'mutable-image-reference Hint 9:46-9:52'];
    await waitForExactDiagnostics(closed, found);
    await setWorkspaceSetting(SECTION, 'workspace.scan', false);
    await waitForExactDiagnostics(closed, []);
    await setWorkspaceSetting(SECTION, 'workspace.scan', true);
    await waitForExactDiagnostics(closed, found);
  });
});
