import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver/node';
import { AnalyzeOptions } from '../../../server/src/engine';
import { KustomizeTrees } from '../../../server/src/lsp/kustomizeTrees';
import { CachedDiskFileSystem } from '../../../server/src/diskFileSystem';

const DEPLOYMENT = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n      - name: ${name}\n        image: registry.example.com/${name}@sha256:${'0123456789abcdef'.repeat(4)}\n        securityContext:\n          readOnlyRootFilesystem: true\n          runAsNonRoot: true\n          allowPrivilegeEscalation: false\n          capabilities: {drop: [ALL]}\n`;

/** Two trees that share nothing: shop (base + overlay) and blog (one kustomization). */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-trees-'));
  const files: Record<string, string> = {
    'shop/base/kustomization.yaml': 'resources:\n- web.yaml\n',
    'shop/base/web.yaml': DEPLOYMENT('web'),
    'shop/prod/kustomization.yaml': 'resources:\n- ../base\n',
    'blog/kustomization.yaml': 'resources:\n- blog.yaml\n',
    'blog/blog.yaml': DEPLOYMENT('blog'),
    'loose.yaml': DEPLOYMENT('loose'),
  };
  for (const [path, text] of Object.entries(files)) { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); }
  return root;
}

const settle = () => new Promise(resolve => setTimeout(resolve, 50));

describe('the language server\'s Kustomize trees', () => {
  let root: string;
  let open: Map<string, string>;
  let published: { path: string; diagnostics: Diagnostic[] }[];
  let released: string[];
  let trees: KustomizeTrees;
  let options: AnalyzeOptions;
  const relative = (path: string) => path.slice(root.length + 1);

  beforeEach(() => {
    root = workspace();
    open = new Map();
    published = [];
    released = [];
    options = {};
    trees = new KustomizeTrees({
      toPath: uri => fileURLToPath(uri),
      toUri: path => pathToFileURL(path).href,
      optionsFor: () => options,
      publish: (path, diagnostics) => published.push({ path, diagnostics }),
      released: path => released.push(path),
      tell: message => assert.fail(message),
    }, new CachedDiskFileSystem(path => open.get(path)));
    trees.setFolders([root]);
  });

  it('covers the files the trees read, and nothing else', () => {
    const covered = ['shop/base/kustomization.yaml', 'shop/base/web.yaml', 'shop/prod/kustomization.yaml', 'blog/kustomization.yaml', 'blog/blog.yaml'];
    for (const path of covered) assert.equal(trees.covers(pathToFileURL(join(root, path)).href), true, path);
    assert.equal(trees.covers(pathToFileURL(join(root, 'loose.yaml')).href), false);
  });

  it('rebuilds only the tree that reads an edited file, and publishes its files', async () => {
    published = [];
    const web = join(root, 'shop/base/web.yaml');
    open.set(web, DEPLOYMENT('web').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
    trees.changed(pathToFileURL(web).href);
    await settle();
    assert.deepEqual(published.map(p => relative(p.path)).sort(), ['shop/base/kustomization.yaml', 'shop/base/web.yaml', 'shop/prod/kustomization.yaml']);
    assert.deepEqual(published.filter(p => p.diagnostics.length).map(p => `${relative(p.path)} ${p.diagnostics.map(d => `${d.code} ${d.range.start.line}`)}`),
      ['shop/base/web.yaml readonly-root-filesystem 11']);
  });

  it('runs the rules again with new options when the folders stay the same, keeping the builds', async () => {
    const web = join(root, 'shop/base/web.yaml');
    open.set(web, DEPLOYMENT('web').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
    trees.changed(pathToFileURL(web).href);
    await settle();
    published = [];
    options = { severities: { 'readonly-root-filesystem': 'off' } };
    trees.setFolders([root]);
    assert.deepEqual(published.map(p => `${relative(p.path)} ${p.diagnostics.length}`), ['shop/base/web.yaml 0']);
    assert.deepEqual(released, []);
  });

  it('publishes again a file whose comment suppresses nothing once the options turn its rule off', async () => {
    const blog = join(root, 'blog/blog.yaml');
    open.set(blog, DEPLOYMENT('blog').replace('      - name: blog\n', '      # kube-immutable-ignore readonly-root-filesystem -- writes its cache\n      - name: blog\n')
      .replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
    published = [];
    trees.changed(pathToFileURL(blog).href);
    await settle();
    // The directive suppresses the finding.
    assert.deepEqual(published.filter(p => p.path === blog).map(p => p.diagnostics.length), [0]);
    published = [];
    options = { severities: { 'readonly-root-filesystem': 'off' } };
    trees.setFolders([root]);
    assert.deepEqual(published.map(p => `${relative(p.path)} ${p.diagnostics.map(d => `${d.code} ${d.range.start.line}:${d.range.start.character}`)}`),
      ['blog/blog.yaml unused-suppression 8:30']);
  });

  it('releases every file when its folder is no longer scanned', () => {
    trees.setFolders([]);
    assert.deepEqual(released.map(relative).sort(), ['blog/blog.yaml', 'blog/kustomization.yaml', 'shop/base/kustomization.yaml', 'shop/base/web.yaml', 'shop/prod/kustomization.yaml']);
    assert.equal(trees.covers(pathToFileURL(join(root, 'shop/base/web.yaml')).href), false);
  });

  it('releases a file that its kustomization no longer lists, to be linted on its own again', async () => {
    const kustomization = join(root, 'blog/kustomization.yaml');
    open.set(kustomization, 'resources: []\n');
    trees.changed(pathToFileURL(kustomization).href);
    await settle();
    assert.deepEqual(released.map(relative), ['blog/blog.yaml']);
    assert.equal(trees.covers(pathToFileURL(join(root, 'blog/blog.yaml')).href), false);
  });
});
