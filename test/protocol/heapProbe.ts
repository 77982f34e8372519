// Loaded with `node --expose-gc --require` into a language server that a memory test starts: on SIGUSR2 it collects
// garbage and writes what the heap then holds to heap-<pid>.json in the temporary folder, for the test to read.
import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the server of process `pid` writes its figures. */
export const heapFigures = (pid: number): string => join(tmpdir(), `heap-${pid}.json`);

/** The heap after a full collection, in bytes. */
export interface HeapFigures { heapUsed: number; external: number }

if (typeof (globalThis as { gc?: () => void }).gc === 'function') {
  process.on('SIGUSR2', () => {
    (globalThis as unknown as { gc: () => void }).gc();
    const { heapUsed, external } = process.memoryUsage();
    const file = heapFigures(process.pid);
    writeFileSync(`${file}.partial`, JSON.stringify({ heapUsed, external } satisfies HeapFigures));
    renameSync(`${file}.partial`, file);
  });
}
