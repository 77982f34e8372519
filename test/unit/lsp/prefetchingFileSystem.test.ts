// The browser host's source files: renders against memory, fetches what a render asked for and did not have,
// renders again. Real Kustomize trees are built through it and compared with their builds from a file system
// that answers at once; every request to the (in-memory) client is counted.
import * as assert from 'node:assert/strict';
import { DirectoryEntry } from '../../../server/src/lsp/fileSystem';
import { FileFetcher, PrefetchingFileSystem } from '../../../server/src/lsp/prefetchingFileSystem';
import { kustomizeTrees } from '../../../server/src/sources/kustomizeIndex';
import { SourceFileSystem } from '../../../server/src/sources/origin';
import { memoryTree } from '../kustomize/memoryTree';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          readOnlyRootFilesystem: false\n';

/** A base, and an overlay that patches it, in /ws/app; a folder with no kustomization beside it. */
const WORKSPACE: Record<string, string> = {
  '/ws/app/base/kustomization.yaml': 'resources:\n- deployment.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LEVEL=info\n',
  '/ws/app/base/deployment.yaml': DEPLOYMENT,
  '/ws/app/overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n',
  '/ws/app/overlays/prod/patch.yaml': PATCH,
  '/ws/docs/readme.yaml': 'a: 1\n',
};

/** A client that serves `files` and records every request, round by round (a round: the requests of one prefetch step). */
function client(files: Record<string, string | Uint8Array>) {
  const tree = memoryTree(files);
  const requests: string[] = [];
  const fetcher: FileFetcher = {
    fetchFile: async path => { requests.push(`file ${path}`); return tree.readBytes!(path); },
    fetchDirectory: async path => {
      requests.push(`dir ${path}`);
      return tree.readDirectory(path)?.map((name): DirectoryEntry => ({ name, kind: tree.isDirectory(`${path}/${name}`) ? 'directory' : 'file' }));
    },
  };
  return { fetcher, requests };
}

/** What a build says, for comparing two builds: each tree's documents and problems. */
function builds(folder: string, fs: SourceFileSystem) {
  return kustomizeTrees([folder], fs).map(tree => ({ dir: tree.dir, documents: tree.build.documents.map(d => d.text), problems: tree.build.problems.map(p => p.message), reads: [...tree.reads].sort() }));
}

describe('the prefetching file system of the browser host', () => {
  it('builds a base and its overlay as a file system that answers at once does, fetching each file and folder once', async () => {
    const { fetcher, requests } = client(WORKSPACE);
    const told: string[] = [];
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, message => told.push(message));
    let renders = 0;
    const built = await fs.prefetch('The trees', () => { renders++; return builds('/ws', fs); });
    assert.deepEqual(built, builds('/ws', memoryTree(WORKSPACE)));
    assert.equal(built.length, 1);
    assert.match(built[0].documents.join('---\n'), /name: settings-[a-z0-9]{10}\n/);
    assert.deepEqual(told, []);
    // Each round reads a folder level deeper, or a kustomization further; a file's entry is never listed as a folder.
    assert.equal(renders, 7);
    assert.deepEqual(requests.filter(r => r.startsWith('dir')).sort(),
      ['dir /ws', 'dir /ws/app', 'dir /ws/app/base', 'dir /ws/app/overlays', 'dir /ws/app/overlays/prod', 'dir /ws/docs']);
    assert.equal(new Set(requests).size, requests.length, `a request made twice: ${requests.join(', ')}`);
    assert.ok(!requests.includes('dir /ws/docs/readme.yaml'));
  });

  it('renders once, without a request, when everything it reads was fetched', async () => {
    const { fetcher, requests } = client(WORKSPACE);
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, assert.fail);
    await fs.prefetch('The trees', () => builds('/ws', fs));
    requests.length = 0;
    let renders = 0;
    await fs.prefetch('The trees', () => { renders++; return builds('/ws', fs); });
    assert.equal(renders, 1);
    assert.deepEqual(requests, []);
  });

  it('fetches a forgotten file and its folder\'s listing again, and nothing else', async () => {
    const files = { ...WORKSPACE };
    const { fetcher, requests } = client(files);
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, assert.fail);
    await fs.prefetch('The trees', () => builds('/ws', fs));
    files['/ws/app/overlays/prod/patch.yaml'] = PATCH.replace('false', 'true');
    fs.forget('/ws/app/overlays/prod/patch.yaml');
    requests.length = 0;
    const built = await fs.prefetch('The trees', () => builds('/ws', fs));
    assert.deepEqual(requests.sort(), ['dir /ws/app/overlays/prod', 'file /ws/app/overlays/prod/patch.yaml']);
    assert.match(built[0].documents[1], /readOnlyRootFilesystem: true/);
  });

  it('reads an open document\'s text, never fetching it', async () => {
    const { fetcher, requests } = client(WORKSPACE);
    const open = new Map([['/ws/app/overlays/prod/patch.yaml', PATCH.replace('false', 'true')]]);
    const fs = new PrefetchingFileSystem(path => open.get(path), fetcher, assert.fail);
    const built = await fs.prefetch('The trees', () => builds('/ws', fs));
    assert.match(built[0].documents[1], /readOnlyRootFilesystem: true/);
    assert.ok(!requests.includes('file /ws/app/overlays/prod/patch.yaml'));
  });

  it('fetches a file that is not there once, and the build reports it missing', async () => {
    const files = { ...WORKSPACE, '/ws/app/overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n- extra.yaml\n' };
    const { fetcher, requests } = client(files);
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, assert.fail);
    const built = await fs.prefetch('The trees', () => builds('/ws', fs));
    assert.deepEqual(built, builds('/ws', memoryTree(files)));
    assert.equal(requests.filter(r => r === 'file /ws/app/overlays/prod/extra.yaml').length, 1);
    assert.equal(built[0].problems.length, 1);
  });

  it('reads binary files as bytes and text by its byte order mark, as the disk is read', async () => {
    const der = Uint8Array.from([0x30, 0x82, 0xff, 0x00, 0xc3, 0x28, 0xfe]);
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'LEVEL=debug\n'].flatMap(c => [c.charCodeAt(0), 0])]);
    const files: Record<string, string | Uint8Array> = {
      '/ws/kustomization.yaml': 'secretGenerator:\n- name: tls\n  files:\n  - cert.der\nconfigMapGenerator:\n- name: env\n  envs:\n  - app.env\n',
      '/ws/cert.der': der,
      '/ws/app.env': utf16,
    };
    const { fetcher } = client(files);
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, assert.fail);
    const built = await fs.prefetch('The trees', () => builds('/ws', fs));
    assert.deepEqual(built, builds('/ws', memoryTree({ ...files, '/ws/app.env': 'LEVEL=debug\n' })));
    assert.match(built[0].documents.join('---\n'), /cert\.der: MIL/);
    assert.match(built[0].documents.join('---\n'), /LEVEL: debug/);
    assert.deepEqual(fs.readBytes('/ws/cert.der'), der);
  });

  it('stops after its rounds, says so once, and builds from what it read', async () => {
    // A kustomization eight folders down: the walk needs a round per level.
    const deep = '/ws/a/b/c/d/e/f/g/h';
    const files = { [`${deep}/kustomization.yaml`]: 'resources:\n- web.yaml\n', [`${deep}/web.yaml`]: DEPLOYMENT };
    const { fetcher } = client(files);
    const told: string[] = [];
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, message => told.push(message), { rounds: 4, reads: 1000 });
    const built = await fs.prefetch('The Kustomize trees of the workspace', () => builds('/ws', fs));
    assert.deepEqual(built, []);
    assert.deepEqual(told, ['The Kustomize trees of the workspace needs more files than kube-immutable reads in the browser (at most 1000 files '
      + 'and folders, in 4 rounds of reads): it is checked as if the 4 it still asked for, such as /ws/a/b/c/kustomization.yaml, were missing.']);
    await fs.prefetch('The Kustomize trees of the workspace', () => builds('/ws', fs));
    assert.equal(told.length, 1);
  });

  it('stops when a render asks for more files than it may read', async () => {
    const files: Record<string, string> = { '/ws/kustomization.yaml': `resources:\n${Array.from({ length: 30 }, (_, i) => `- r${i}.yaml\n`).join('')}` };
    for (let i = 0; i < 30; i++) files[`/ws/r${i}.yaml`] = DEPLOYMENT.replace('name: web\nspec', `name: web${i}\nspec`);
    const { fetcher, requests } = client(files);
    const told: string[] = [];
    const fs = new PrefetchingFileSystem(() => undefined, fetcher, message => told.push(message), { rounds: 64, reads: 20 });
    await fs.prefetch('The trees', () => builds('/ws', fs));
    assert.equal(told.length, 1);
    assert.match(told[0], /^The trees needs more files than kube-immutable reads in the browser \(at most 20 files and folders, in 64 rounds of reads\): it is checked as if the 30 it still asked for, such as \/ws\/r0\.yaml, were missing\.$/);
    assert.ok(requests.length <= 20, `${requests.length} requests`);
  });
});
