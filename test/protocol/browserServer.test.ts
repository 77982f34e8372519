// The browser host's language server (dist/browserServer.js) run as a web worker runs it: in a context of its own
// whose globals are a worker's (no process, require or Buffer), talking by messages, and reading a virtual
// workspace (vscode-vfs://) only through the client's file requests, which this test answers from memory.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import {
  AbstractMessageReader, AbstractMessageWriter, CodeAction, createProtocolConnection, DataCallback, Diagnostic, Disposable, Message,
  ProtocolConnection, PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import {
  FIND_FILES, FindFilesParams, READ_DIRECTORY, READ_FILE, ReadDirectoryParams, ReadFileParams,
} from '../../server/src/browser/fileRequests';

const BROWSER_SERVER = join(__dirname, '..', '..', '..', 'dist', 'browserServer.js');
const ORIGIN = 'vscode-vfs://github';
const ROOT = '/owner/repo';

const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n'
  + '          securityContext:\n            readOnlyRootFilesystem: false\n';
const FILES: Record<string, string> = {
  'kustomize/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'kustomize/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n'
    + `        - name: web\n          image: registry.example.com/web@sha256:${'0123456789abcdef'.repeat(4)}\n          securityContext:\n`
    + '            readOnlyRootFilesystem: true\n            runAsNonRoot: true\n            allowPrivilegeEscalation: false\n            capabilities: {drop: [ALL]}\n',
  'kustomize/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: patch.yaml\n',
  'kustomize/overlays/prod/patch.yaml': PATCH,
  'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n',
  // A chart with a helper, values printed with toYaml, and a subchart of its own.
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'securityContext:\n  runAsNonRoot: true\n',
  'chart/templates/_helpers.tpl': '{{- define "web.name" -}}{{ .Chart.Name }}-app{{- end -}}\n',
  'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.name" . }}\nspec:\n  template:\n'
    + `    spec:\n      containers:\n        - name: web\n          image: nginx@sha256:${'0123456789abcdef'.repeat(4)}\n`
    + '          securityContext: {{- toYaml .Values.securityContext | nindent 12 }}\n',
  'chart/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'chart/charts/sub/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sub\nspec:\n  containers:\n    - name: sub\n'
    + `      image: busybox@sha256:${'0123456789abcdef'.repeat(4)}\n      securityContext:\n        privileged: true\n`,
  // A chart with a packed subchart, which the browser host cannot unpack.
  'packed/Chart.yaml': 'apiVersion: v2\nname: packed\nversion: 0.1.0\n',
  'packed/charts/dep-0.1.0.tgz': '\x1f\x8b packed',
  // A Compose project: an override file, a service that extends one of another file, and an included file.
  'compose/compose.yaml': 'include:\n  - db/db.yaml\nservices:\n  web:\n    extends:\n      file: common.yaml\n      service: base\n'
    + '    image: nginx:1.27.2\n',
  'compose/compose.override.yaml': 'services:\n  web:\n    read_only: false\n',
  'compose/common.yaml': 'services:\n  base:\n    user: "0"\n',
  'compose/db/db.yaml': 'services:\n  db:\n    image: postgres:16.4\n',
};
const PACKED_WARNING = `Packed subcharts (.tgz), such as ${ROOT}/packed/charts/dep-0.1.0.tgz, are not read in the browser: kube-immutable `
  + 'unpacks them only where it runs in Node (desktop VS Code, the CLI), so a chart that holds one is not checked here. '
  + 'Unpacked (helm pull --untar into charts/), they are read everywhere.';
const uri = (path: string) => `${ORIGIN}${ROOT}/${path}`;
const pathOf = (u: string) => u.slice(`${ORIGIN}${ROOT}/`.length).replace(/\/$/, '');

class Reader extends AbstractMessageReader {
  private callback?: DataCallback;
  listen(callback: DataCallback): Disposable { this.callback = callback; return Disposable.create(() => { this.callback = undefined; }); }
  deliver(message: Message): void { this.callback?.(message); }
}

class Writer extends AbstractMessageWriter {
  constructor(private readonly post: (message: Message) => void) { super(); }
  async write(message: Message): Promise<void> { this.post(message); }
  end(): void {}
}

/** The server in a worker-like context: what it posts comes to `reader`; what the writer writes is its next message. */
function startWorker(reader: Reader, errors: string[]): { context: Record<string, unknown>; writer: Writer } {
  // Messages are copied and delivered later, as a worker's are.
  const context: Record<string, unknown> = {
    postMessage: (message: Message) => setImmediate(() => reader.deliver(JSON.parse(JSON.stringify(message)))),
    addEventListener: () => undefined,
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, TextEncoder, TextDecoder, atob, btoa, URL, performance, crypto,
    console: { log() {}, info() {}, warn() {}, debug() {}, error: (...args: unknown[]) => errors.push(args.join(' ')) },
  };
  context.self = context;
  createContext(context);
  runInContext(readFileSync(BROWSER_SERVER, 'utf8'), context, { filename: BROWSER_SERVER });
  const writer = new Writer(message => setImmediate(() => (context.onmessage as (event: { data: unknown }) => void)({ data: JSON.parse(JSON.stringify(message)) })));
  return { context, writer };
}

function answerFileRequests(connection: ProtocolConnection, requests: string[]): void {
  const names = (dir: string) => [...new Set(Object.keys(FILES).filter(f => dir === '' || f.startsWith(`${dir}/`))
    .map(f => f.slice(dir ? dir.length + 1 : 0).split('/')[0]))].sort();
  const isDir = (path: string) => path === '' || Object.keys(FILES).some(f => f.startsWith(`${path}/`));
  connection.onRequest(FIND_FILES, ({ pattern }: FindFilesParams) => {
    requests.push(`${FIND_FILES} ${pattern}`);
    // The patterns the server asks for: `**/` then names, `*` within one name.
    const glob = new RegExp(`^${pattern.split('**/').map(part => part.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')).join('(?:.*/)?')}$`);
    return Object.keys(FILES).filter(f => glob.test(f)).map(uri);
  });
  connection.onRequest(READ_DIRECTORY, ({ uri: u }: ReadDirectoryParams) => {
    requests.push(`${READ_DIRECTORY} ${u}`);
    const dir = pathOf(u);
    return isDir(dir) ? names(dir).map(name => [name, isDir(dir ? `${dir}/${name}` : name) ? 'directory' : 'file']) : null;
  });
  connection.onRequest(READ_FILE, ({ uri: u, maxBytes }: ReadFileParams) => {
    requests.push(`${READ_FILE} ${u}`);
    const text = FILES[pathOf(u)];
    if (text === undefined) return null;
    const bytes = new TextEncoder().encode(text);
    return { base64: Buffer.from(bytes.subarray(0, maxBytes)).toString('base64'), size: bytes.length };
  });
}

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

describe('the browser host\'s language server in a worker-like context', function () {
  this.timeout(30000);
  let connection: ProtocolConnection;
  let context: Record<string, unknown>;
  const published = new Map<string, PublishDiagnosticsParams>();
  const requests: string[] = [];
  const warnings: string[] = [];
  /** What the server logged as an error, on the connection or on the worker's console. */
  const errors: string[] = [];
  let waiters: (() => void)[] = [];
  const until = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 20000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen; published: ${JSON.stringify([...published.keys()])}; errors: ${errors.join('\n')}`);
      await new Promise<void>(resolve => { waiters.push(resolve); setTimeout(resolve, 100); });
    }
  };

  before(async () => {
    const reader = new Reader();
    const worker = startWorker(reader, errors);
    context = worker.context;
    connection = createProtocolConnection(reader, worker.writer);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      published.set(params.uri, params);
      const ready = waiters; waiters = []; ready.forEach(resolve => resolve());
    });
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) errors.push(params.message);
      if (params.type === 2) warnings.push(params.message);
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(item => (item.section === 'kubeImmutable' ? { workspace: { scan: true } } : null)));
    answerFileRequests(connection, requests);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: null, rootUri: uri(''), workspaceFolders: [{ uri: `${ORIGIN}${ROOT}`, name: 'repo' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await connection.sendNotification('initialized', {});
  });

  after(() => connection.dispose());

  it('runs without process, require or Buffer, and defines none of them', () => {
    assert.equal(context.process, undefined);
    assert.equal(context.require, undefined);
    assert.equal(context.Buffer, undefined);
    assert.equal(runInContext('typeof process + typeof require + typeof Buffer', createContext(context)), 'undefinedundefinedundefined');
  });

  it('scans the workspace through the client: a Pod on its own, and the Kustomize overlay\'s finding on the patch line', async () => {
    await until(() => published.has(uri('pod.yaml')) && published.has(uri('kustomize/overlays/prod/patch.yaml')), 'the scan');
    assert.deepEqual(summary(published.get(uri('pod.yaml'))!.diagnostics), [
      'readonly-root-filesystem 6:4-6:11', 'run-as-root 6:4-6:11', 'privilege-escalation 6:4-6:11', 'capabilities 6:4-6:11', 'mutable-image-reference 7:16-7:23',
    ]);
    assert.deepEqual(summary(published.get(uri('kustomize/overlays/prod/patch.yaml'))!.diagnostics), ['readonly-root-filesystem 10:36-10:41']);
    assert.deepEqual(published.get(uri('kustomize/base/deployment.yaml'))?.diagnostics ?? [], []);
    assert.ok(requests.includes(`${READ_FILE} ${uri('kustomize/overlays/prod/patch.yaml')}`));
    assert.deepEqual(warnings, [PACKED_WARNING]);
    assert.deepEqual(errors, []);
  });

  it('renders a Helm chart through the client: its findings in values.yaml and in its subchart\'s template, none in its templates', async () => {
    await until(() => published.has(uri('chart/values.yaml')) && published.has(uri('chart/charts/sub/templates/pod.yaml')), 'the chart\'s render');
    assert.deepEqual(summary(published.get(uri('chart/values.yaml'))!.diagnostics), [
      'readonly-root-filesystem 0:0-0:15', 'privilege-escalation 0:0-0:15', 'capabilities 0:0-0:15', 'run-as-root 0:0-0:16',
    ]);
    assert.deepEqual(summary(published.get(uri('chart/charts/sub/templates/pod.yaml'))!.diagnostics), [
      'readonly-root-filesystem 8:6-8:22', 'run-as-root 8:6-8:22', 'privilege-escalation 8:6-8:22', 'capabilities 8:6-8:22', 'privileged-container 9:20-9:24',
    ]);
    for (const file of ['chart/Chart.yaml', 'chart/templates/deployment.yaml', 'chart/templates/_helpers.tpl', 'chart/charts/sub/Chart.yaml']) {
      assert.deepEqual(published.get(uri(file))?.diagnostics, [], file);
    }
    assert.deepEqual(errors, []);
  });

  it('refuses a packed subchart where it is, and says so once in the output channel, however often the workspace is read again', async () => {
    const archive = uri('packed/charts/dep-0.1.0.tgz');
    await until(() => published.has(archive), 'the packed chart\'s render');
    const [refused] = published.get(archive)!.diagnostics;
    assert.deepEqual(summary([refused]), ['helm-template 0:0-0:0']);
    assert.equal(refused.message, `error unpacking subchart dep-0.1.0.tgz in packed: ${ROOT}/packed/charts/dep-0.1.0.tgz is a packed chart, `
      + 'which kube-immutable reads only where it runs in Node (the CLI, desktop VS Code); unpacked (helm pull --untar), it is read everywhere');
    const searches = () => requests.filter(request => request === `${FIND_FILES} **/Chart.yaml`).length;
    const before = searches();
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await until(() => searches() > before, 'the workspace read again');
    assert.deepEqual(warnings, [PACKED_WARNING]);
  });

  it('reads a Compose project through the client: its override file, the file a service extends, and an included file', async () => {
    await until(() => ['compose.yaml', 'compose.override.yaml', 'common.yaml', 'db/db.yaml'].every(file => published.has(uri(`compose/${file}`))), 'the Compose project');
    assert.deepEqual(summary(published.get(uri('compose/compose.yaml'))!.diagnostics), [
      'privilege-escalation 3:2-3:5', 'capabilities 3:2-3:5', 'mutable-image-reference 7:16-7:23',
    ]);
    assert.deepEqual(summary(published.get(uri('compose/compose.override.yaml'))!.diagnostics), ['readonly-root-filesystem 2:15-2:20']);
    assert.deepEqual(summary(published.get(uri('compose/common.yaml'))!.diagnostics), ['run-as-root 2:10-2:13']);
    assert.deepEqual(summary(published.get(uri('compose/db/db.yaml'))!.diagnostics), [
      'readonly-root-filesystem 1:2-1:4', 'run-as-root 1:2-1:4', 'privilege-escalation 1:2-1:4', 'capabilities 1:2-1:4', 'mutable-image-reference 2:19-2:24',
    ]);
    assert.deepEqual(errors, []);
  });

  it('offers the quick fixes of a chart in values.yaml and of a Compose project in its override file, as edits of their vscode-vfs URIs', async () => {
    const values = uri('chart/values.yaml');
    const [readonly] = published.get(values)!.diagnostics;
    const chartActions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: values }, range: readonly.range, context: { diagnostics: [readonly], only: ['quickfix'] },
    });
    const setReadonly = chartActions.find(action => action.title === 'Set readOnlyRootFilesystem: true')!;
    assert.deepEqual(setReadonly.edit?.changes, { [values]: [{ range: { start: { line: 1, character: 20 }, end: { line: 1, character: 20 } }, newText: '\n  readOnlyRootFilesystem: true' }] });

    const override = uri('compose/compose.override.yaml');
    const [readOnlyFalse] = published.get(override)!.diagnostics;
    const composeActions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: override }, range: readOnlyFalse.range, context: { diagnostics: [readOnlyFalse], only: ['quickfix'] },
    });
    const preferred = composeActions.filter(action => action.isPreferred);
    assert.deepEqual(preferred.map(action => action.title), ['Set read_only: true and mount tmpfs at /var/cache/nginx, /var/run']);
    // The tmpfs mounts go where the service's other keys are written, in compose.yaml.
    assert.deepEqual(preferred[0].edit?.changes, {
      [override]: [{ range: readOnlyFalse.range, newText: 'true' }],
      [uri('compose/compose.yaml')]: [{ range: { start: { line: 7, character: 23 }, end: { line: 7, character: 23 } }, newText: '\n    tmpfs: [/var/cache/nginx, /var/run]' }],
    });
  });

  it('renders the chart and reads the Compose project again from open documents\' text', async () => {
    const values = uri('chart/values.yaml');
    const override = uri('compose/compose.override.yaml');
    published.delete(values);
    published.delete(override);
    const hardened = 'securityContext:\n  runAsNonRoot: true\n  readOnlyRootFilesystem: true\n  allowPrivilegeEscalation: false\n  capabilities: {drop: [ALL]}\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: values, languageId: 'yaml', version: 1, text: hardened } });
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: override, languageId: 'dockercompose', version: 1, text: FILES['compose/compose.override.yaml'].replace('false', 'true') },
    });
    await until(() => published.has(values) && published.has(override), 'the rebuilds');
    assert.deepEqual(summary(published.get(values)!.diagnostics), ['run-as-root 0:0-0:16']);
    assert.deepEqual(summary(published.get(override)!.diagnostics), []);
    assert.deepEqual(errors, []);
  });

  it('offers the quick fix in the patch, as an edit of its vscode-vfs URI', async () => {
    const patch = uri('kustomize/overlays/prod/patch.yaml');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: patch, languageId: 'yaml', version: 1, text: PATCH } });
    const [diagnostic] = published.get(patch)!.diagnostics;
    const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: patch }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const preferred = actions.filter(action => action.isPreferred);
    assert.deepEqual(preferred.map(action => action.title), ['Set readOnlyRootFilesystem: true']);
    assert.deepEqual(preferred[0].edit?.changes, { [patch]: [{ range: diagnostic.range, newText: 'true' }] });
  });

  it('answers fix-all on a manifest of its own, as on save', async () => {
    const pod = uri('pod.yaml');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pod, languageId: 'yaml', version: 1, text: FILES['pod.yaml'] } });
    await until(() => published.get(pod)?.version === 1, 'the analysis of the open Pod');
    const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: pod }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.kube-immutable'], triggerKind: 2 },
    });
    assert.deepEqual(actions.map(action => action.title), ['Fix all kube-immutable problems that have an automatic fix (2)']);
    assert.equal(actions[0].edit?.changes?.[pod]?.length, 1);
    assert.deepEqual(errors, []);
  });

  it('rebuilds the tree from an open document\'s text', async () => {
    const patch = uri('kustomize/overlays/prod/patch.yaml');
    published.delete(patch);
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: patch, version: 2 }, contentChanges: [{ text: PATCH.replace('false', 'true') }] });
    await until(() => published.get(patch)?.diagnostics.length === 0, 'the rebuild');
    assert.deepEqual(errors, []);
  });
});
