// Helpers for the VS Code integration tests. They wait on VS Code's events, never on fixed sleeps:
// a timeout here only bounds how long a test may wait before it fails with what it saw.
import * as vscode from 'vscode';

export const SOURCE = 'kube-immutable';
export const EXTENSION_ID = 'kube-immutable.kube-immutable';
/** How long a test waits for the language server before failing (it has started: see serverStarted). */
export const WAIT_MS = 20_000;
/** How long the suites wait for the language server's first start. */
const START_MS = 180_000;

/** The fixture workspace: a fresh copy of test/vscode/workspace/ made by the runner. */
export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the runner must open a copy of test/vscode/workspace/');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Opens a fixture file in an editor (which activates the extension for YAML). */
export async function openFixture(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...segments));
  return vscode.window.showTextDocument(document);
}

/** The extension's diagnostics for `uri`, sorted by position. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri)
    .filter(d => d.source === SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** Resolves with the extension's diagnostics for `uri` once `accept` returns true for them; fails after `timeoutMs`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what = 'the expected diagnostics',
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = ourDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      done();
      resolve(diagnostics);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics(event => {
      if (event.uris.some(u => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs}ms waiting for ${what} on ${vscode.workspace.asRelativePath(uri)}; `
        + `it has: ${JSON.stringify(ourDiagnostics(uri).map(describeDiagnostic), null, 2)}`));
    }, timeoutMs);
    const done = () => { clearTimeout(timer); listener.dispose(); };
    check();
  });
}

/** Waits until `uri` has at least one diagnostic from the extension. */
export function waitForSomeDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics(uri, d => d.length > 0, 'a kube-immutable diagnostic');
}

/** A diagnostic in one line, 1-based like the editor's status bar: `readonly-root-filesystem Warning 18:11-18:26`. */
export function describeDiagnostic(d: vscode.Diagnostic): string {
  const { code, severity, range: [line, character, endLine, endCharacter] } = summarize(d);
  return `${code} ${severity} ${line + 1}:${character + 1}-${endLine + 1}:${endCharacter + 1}`;
}

/** Waits until the extension's diagnostics for `uri`, as `describeDiagnostic` writes them, are exactly `expected` (in any order). */
export function waitForExactDiagnostics(uri: vscode.Uri, expected: string[]): Promise<vscode.Diagnostic[]> {
  const want = JSON.stringify([...expected].sort());
  return waitForDiagnostics(uri, d => JSON.stringify(d.map(describeDiagnostic).sort()) === want,
    `exactly ${JSON.stringify(expected, null, 2)}`);
}

/** Sets a setting in the fixture workspace's settings (`undefined` removes it); resolves once VS Code has it. */
export async function setWorkspaceSetting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** A manifest the server always reports on. */
const SENTINEL = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: sentinel',
  'spec:',
  '  containers:',
  '    - name: sentinel',
  '      image: busybox',
  '',
].join('\n');

/**
 * Waits until the language server has handled everything sent before this call. The server analyses
 * documents in the order they are opened, so once a document opened after the others has diagnostics,
 * the others' diagnostics (or their absence) are final. Use this to assert that a file has none.
 */
export async function serverCaughtUp(): Promise<void> {
  const sentinel = await vscode.workspace.openTextDocument({ language: 'yaml', content: SENTINEL });
  await waitForSomeDiagnostics(sentinel.uri);
}

/**
 * Resolves once the extension is active and its language server has published: the suites start their tests
 * then. The first start (in the web worker host: the server's bundle read through the editor, a worker started,
 * the workspace read through the client) takes as long as the machine's load makes it, which a test's wait
 * must not pay for; so this waits on the events themselves, with a bound far above any start seen (a few
 * seconds at a load of 11 on 2 cores) that only turns a server that never starts into a clear failure.
 */
export async function serverStarted(): Promise<void> {
  const { document } = await openFixture('deployment.yaml');
  // Opening YAML activates the extension; activate() resolves once the client has started the server.
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  await waitForDiagnostics(document.uri, d => d.length > 0, 'the first diagnostics of the language server', START_MS);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A plain description of a diagnostic, for assertions with readable diffs. */
export function summarize(d: vscode.Diagnostic) {
  return {
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    severity: vscode.DiagnosticSeverity[d.severity],
    code: typeof d.code === 'object' ? d.code.value : d.code,
    source: d.source,
    message: d.message,
  };
}

/** Applies `edit` and resolves once it is in the document. */
export async function applyEdit(edit: vscode.WorkspaceEdit): Promise<void> {
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit');
}
