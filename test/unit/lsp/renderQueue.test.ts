// Renders of a source and what is done with their results: at once where files are read when asked; where
// they are fetched, each render after the one before, once its files are at hand, and a failure told.
import * as assert from 'node:assert/strict';
import { PrefetchingFileSystem } from '../../../server/src/lsp/prefetchingFileSystem';
import { RenderQueue } from '../../../server/src/lsp/sourceFiles';
import { memoryTree } from '../kustomize/memoryTree';

const FILES: Record<string, string> = { '/ws/a.yaml': 'a', '/ws/b.yaml': 'b' };

/** A client whose answers come only when `release` is called: the order of the renders does not follow them. */
function slowClient() {
  const tree = memoryTree(FILES);
  const held: (() => void)[] = [];
  const later = <T>(value: T) => new Promise<T>(resolve => held.push(() => resolve(value)));
  return {
    fetcher: { fetchFile: (path: string) => later(tree.readBytes!(path)), fetchDirectory: () => later(undefined) },
    release: () => held.splice(0).forEach(answer => answer()),
  };
}

describe('lsp: the render queue', () => {
  it('renders and applies at once where files are read when asked, and runs `after` at once', () => {
    // A file system without prefetch: the disk's.
    const queue = new RenderQueue({}, message => assert.fail(message));
    const applied: string[] = [];
    const done = queue.run('the files', () => 'rendered', result => applied.push(result));
    assert.deepEqual(applied, ['rendered']);
    assert.ok(done instanceof Promise);
    assert.equal(queue.after(() => applied.length), 1);
  });

  it('applies the renders of a prefetching file system in the order asked, each with the files it read', async () => {
    const client = slowClient();
    const fs = new PrefetchingFileSystem(() => undefined, client.fetcher, message => assert.fail(message));
    const queue = new RenderQueue(fs, message => assert.fail(message));
    const applied: string[] = [];
    const first = queue.run('a', () => fs.readFile('/ws/a.yaml') ?? 'missing a', result => applied.push(result));
    const second = queue.run('b', () => fs.readFile('/ws/b.yaml') ?? 'missing b', result => applied.push(result));
    const answered = queue.after(() => [...applied]);
    assert.deepEqual(applied, []);
    while (applied.length < 2) { client.release(); await new Promise(resolve => setImmediate(resolve)); }
    await Promise.all([first, second]);
    assert.deepEqual(applied, ['a', 'b']);
    assert.deepEqual(await answered, ['a', 'b']);
  });

  it('tells why a render failed, and goes on with the next one', async () => {
    const client = slowClient();
    const fs = new PrefetchingFileSystem(() => undefined, client.fetcher, () => undefined);
    const told: string[] = [];
    const queue = new RenderQueue(fs, message => told.push(message));
    const applied: string[] = [];
    void queue.run('The broken source', () => { throw new Error('no render'); }, () => applied.push('broken'));
    const next = queue.run('b', () => fs.readFile('/ws/b.yaml') ?? 'missing b', result => applied.push(result));
    while (!applied.length) { client.release(); await new Promise(resolve => setImmediate(resolve)); }
    await next;
    assert.deepEqual(applied, ['b']);
    assert.equal(told.length, 1);
    assert.match(told[0], /^The broken source could not be read: Error: no render\n/);
  });
});
