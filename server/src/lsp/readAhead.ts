// Reading many files in turn, a few ahead: each read of a file waits on the file system's threads, which serve
// several reads at a time, so that a scan read one by one spends most of its time waiting.

export interface RegularFile { text: string; size: number }

/** Files read at once by default. */
export const READ_AHEAD = 16;

/**
 * Reads `paths` with up to `ahead` reads under way, giving each path with what its read gave, in order. A read that
 * fails gives undefined, as one of a file that is not there: none is left to reject unawaited. Reads already under
 * way when the caller stops go on, and their results are dropped.
 */
export async function* readInOrder(paths: readonly string[], read: (path: string) => Promise<RegularFile | undefined>, ahead = READ_AHEAD): AsyncGenerator<[string, RegularFile | undefined]> {
  const pending = new Map<number, Promise<RegularFile | undefined>>();
  let next = 0;
  for (let i = 0; i < paths.length; i++) {
    for (; next < paths.length && next < i + ahead; next++) pending.set(next, read(paths[next]).catch(() => undefined));
    const file = await pending.get(i)!;
    pending.delete(i);
    yield [paths[i], file];
  }
}
