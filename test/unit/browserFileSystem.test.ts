// The browser host's file access: paths of URIs, and the workspace read through client requests
// (clientFileSystem.ts) against a client that serves a small tree.
import * as assert from 'node:assert/strict';
import { Connection } from 'vscode-languageserver';
import { ClientFileSystem, encodePath, splitUri } from '../../server/src/browser/clientFileSystem';
import { FIND_FILES, FindFilesParams, READ_DIRECTORY, READ_FILE, ReadDirectoryParams, ReadFileParams } from '../../server/src/browser/fileRequests';

describe('browser host: paths of URIs', () => {
  const uris: [string, { origin: string; path: string } | undefined][] = [
    ['vscode-vfs://github/owner/repo/k8s/a.yaml', { origin: 'vscode-vfs://github', path: '/owner/repo/k8s/a.yaml' }],
    ['vscode-remote://127.0.0.1:8080/tmp/a%20b/c.yaml', { origin: 'vscode-remote://127.0.0.1:8080', path: '/tmp/a b/c.yaml' }],
    ['file:///c%3A/x.yaml', { origin: 'file://', path: '/c:/x.yaml' }],
    ['vscode-vfs://github', { origin: 'vscode-vfs://github', path: '/' }],
    ['git:/a.yaml?%7B%22ref%22%7D', undefined],
    ['untitled:Untitled-1', undefined],
    ['vscode-vfs://github/a%E0.yaml', undefined],
  ];
  for (const [uri, expected] of uris) {
    it(`splitUri(${JSON.stringify(uri)})`, () => assert.deepEqual(splitUri(uri), expected));
  }
  it('encodePath writes a path as Uri.toString() does', () => {
    assert.equal(encodePath("/a b/c:d/e(1)!'*~-_.yaml"), '/a%20b/c%3Ad/e%281%29%21%27%2A~-_.yaml');
  });
});

/** A client that serves `files` (URI -> text) of one folder, and records what the server logs. */
function clientServing(files: Record<string, string | Uint8Array>, failing = new Set<string>()) {
  const logged: string[] = [];
  const requests: string[] = [];
  const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? new TextEncoder().encode(content) : content);
  const connection = {
    console: { info: (m: string) => logged.push(`info ${m}`), warn: (m: string) => logged.push(`warn ${m}`) },
    async sendRequest(method: string, params: unknown) {
      requests.push(method);
      if (failing.has(method)) throw new Error('the client went away');
      if (method === FIND_FILES) {
        const { baseUri, pattern } = params as FindFilesParams;
        const name = pattern.replace('**/', '');
        return Object.keys(files).filter(uri => uri.startsWith(`${baseUri}/`) && uri.endsWith(`/${name}`)).sort();
      }
      if (method === READ_FILE) {
        const { uri, maxBytes } = params as ReadFileParams;
        if (!(uri in files)) return null;
        const bytes = bytesOf(files[uri]);
        return { base64: Buffer.from(bytes.subarray(0, maxBytes)).toString('base64'), size: bytes.length };
      }
      if (method === READ_DIRECTORY) {
        const { uri } = params as ReadDirectoryParams;
        const names = new Map<string, string>();
        for (const file of Object.keys(files)) {
          if (!file.startsWith(`${uri}/`)) continue;
          const [first, ...rest] = file.slice(uri.length + 1).split('/');
          names.set(decodeURIComponent(first), rest.length ? 'directory' : 'file');
        }
        return names.size ? [...names] : null;
      }
      throw new Error(`unexpected ${method}`);
    },
  };
  return { connection: connection as unknown as Connection, logged, requests };
}

describe('browser host: the workspace read through the client', () => {
  const ROOT = 'vscode-vfs://github/owner/repo';
  const tree = {
    [`${ROOT}/.kube-immutable.yaml`]: 'rules:\n  run-as-root: off\n',
    [`${ROOT}/apps/web%20app/.kube-immutable.yaml`]: 'exclude: [generated/**]\n',
    [`${ROOT}/apps/web%20app/deploy.yaml`]: 'kind: Pod\n',
    [`${ROOT}/charts/api/Chart.yaml`]: 'name: api\n',
    [`${ROOT}/charts/api/templates/pod.yaml`]: 'kind: {{ .Values.kind }}\n',
    [`${ROOT}/utf16.yaml`]: new Uint8Array([0xff, 0xfe, 0x6b, 0x00, 0x3a, 0x00, 0x20, 0x00, 0x76, 0x00]),
  };

  it('finds the nearest config file from the prefetched ones, and reads it without a request', async () => {
    const { connection, requests } = clientServing(tree);
    const files = new ClientFileSystem(connection);
    await files.prepare([ROOT]);
    const before = requests.length;
    assert.equal(files.findConfigFile('/owner/repo/apps/web app/generated'), '/owner/repo/apps/web app/.kube-immutable.yaml');
    assert.equal(files.findConfigFile('/owner/repo/charts/api'), '/owner/repo/.kube-immutable.yaml');
    assert.equal(files.readConfigText('/owner/repo/apps/web app/.kube-immutable.yaml'), 'exclude: [generated/**]\n');
    assert.throws(() => files.readConfigText('/owner/repo/charts/.kube-immutable.yaml'), /^Error: not found in the workspace$/);
    assert.equal(requests.length, before);
  });

  it('knows chart templates by the prefetched Chart.yaml files', async () => {
    const { connection } = clientServing(tree);
    const files = new ClientFileSystem(connection);
    await files.prepare([ROOT]);
    assert.equal(files.isChartTemplate('/owner/repo/charts/api/templates/pod.yaml'), true);
    assert.equal(files.isChartTemplate('/owner/repo/apps/web app/deploy.yaml'), false);
  });

  it('maps URIs of its folders to paths and back, and no others', async () => {
    const { connection } = clientServing(tree);
    const files = new ClientFileSystem(connection);
    await files.prepare([ROOT]);
    assert.equal(files.toPath(`${ROOT}/apps/web%20app/deploy.yaml`), '/owner/repo/apps/web app/deploy.yaml');
    assert.equal(files.toUri('/owner/repo/apps/web app/deploy.yaml'), `${ROOT}/apps/web%20app/deploy.yaml`);
    assert.equal(files.toPath('vscode-vfs://gitlab/owner/repo/a.yaml'), undefined);
    assert.equal(files.toPath('untitled:Untitled-1'), undefined);
  });

  it('reads files with their byte order mark, folders with their kinds', async () => {
    const { connection } = clientServing(tree);
    const files = new ClientFileSystem(connection);
    await files.prepare([ROOT]);
    assert.deepEqual(await files.readRegularFile('/owner/repo/utf16.yaml', 1000), { text: 'k: v', size: 10 });
    assert.deepEqual(await files.readRegularFile('/owner/repo/apps/web app/deploy.yaml', 4), { text: 'kind', size: 10 });
    assert.equal(await files.readRegularFile('/owner/repo/missing.yaml', 1000), undefined);
    assert.deepEqual(await files.readDirectory('/owner/repo/charts/api'), [
      { name: 'Chart.yaml', kind: 'file' }, { name: 'templates', kind: 'directory' },
    ]);
  });

  it('says once that it runs in the browser, and logs a failed request as a warning, reading it as nothing', async () => {
    const { connection, logged } = clientServing(tree, new Set([READ_DIRECTORY]));
    const files = new ClientFileSystem(connection);
    await files.prepare([ROOT]);
    await files.prepare([ROOT]);
    assert.equal(await files.readDirectory('/owner/repo'), undefined);
    assert.deepEqual(logged, [
      'info kube-immutable runs in the browser and reads the workspace through the editor: a .kube-immutable.yaml is found '
      + 'only inside a workspace folder, a Chart.yaml added or removed counts from the next change of a setting or of a '
      + '.kube-immutable.yaml, and symbolic links are skipped.',
      `warn kubeImmutable/readDirectory {"uri":"${ROOT}"} failed: the client went away`,
    ]);
  });
});
