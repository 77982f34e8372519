// The scan's reads: in order, a few under way at a time, and a failed read as a missing file.
import * as assert from 'node:assert/strict';
import { readInOrder, RegularFile } from '../../../server/src/lsp/readAhead';

/** Reads that finish when the test says, in any order, counting how many are under way. */
class Reads {
  readonly started: string[] = [];
  underWay = 0;
  mostUnderWay = 0;
  private readonly finish = new Map<string, (file: RegularFile | undefined) => void>();
  private readonly fail = new Map<string, (error: Error) => void>();

  read = (path: string): Promise<RegularFile | undefined> => {
    this.started.push(path);
    this.mostUnderWay = Math.max(this.mostUnderWay, ++this.underWay);
    return new Promise((resolve, reject) => {
      this.finish.set(path, file => { this.underWay--; resolve(file); });
      this.fail.set(path, error => { this.underWay--; reject(error); });
    });
  };

  end(path: string, text?: string): void {
    if (text === undefined) this.finish.get(path)!(undefined);
    else this.finish.get(path)!({ text, size: text.length });
  }

  reject(path: string): void {
    this.fail.get(path)!(new Error(`EIO: ${path}`));
  }
}

const turn = () => new Promise(resolve => setImmediate(resolve));

describe('readInOrder', () => {
  it('gives the files in their order whatever order their reads end in, with at most `ahead` under way', async () => {
    const reads = new Reads();
    const paths = ['a', 'b', 'c', 'd', 'e'];
    const got: string[] = [];
    const done = (async () => {
      for await (const [path, file] of readInOrder(paths, reads.read, 2)) got.push(`${path}:${file?.text ?? '-'}`);
    })();
    await turn();
    assert.deepEqual(reads.started, ['a', 'b']);
    reads.end('b', 'B');
    await turn();
    assert.deepEqual(got, []);
    reads.end('a', 'A');
    await turn();
    assert.deepEqual(got, ['a:A', 'b:B']);
    assert.deepEqual(reads.started, ['a', 'b', 'c', 'd']);
    reads.end('d');
    reads.reject('c');
    await turn();
    reads.end('e', 'E');
    await done;
    assert.deepEqual(got, ['a:A', 'b:B', 'c:-', 'd:-', 'e:E']);
    assert.equal(reads.mostUnderWay, 2);
  });

  it('starts no more reads once its reader stops, and leaves none to reject unawaited', async () => {
    const reads = new Reads();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const done = (async () => {
        for await (const [path] of readInOrder(['a', 'b', 'c', 'd'], reads.read, 3)) if (path === 'a') break;
      })();
      await turn();
      reads.end('a', 'A');
      await done;
      reads.reject('b');
      reads.reject('c');
      await turn();
      assert.deepEqual(reads.started, ['a', 'b', 'c']);
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
