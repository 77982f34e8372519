// Loaded with `node --expose-gc --require` into a language server that a memory test or the benchmark starts: on
// SIGUSR2 it collects garbage and writes what the heap then holds to heap-<pid>.json in the temporary folder.
// heapAfterCollection asks for that and reads it.
import { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const figuresOf = (pid: number): string => join(tmpdir(), `heap-${pid}.json`);

if (typeof (globalThis as { gc?: () => void }).gc === 'function') {
  process.on('SIGUSR2', () => {
    (globalThis as unknown as { gc: () => void }).gc();
    const { heapUsed, external } = process.memoryUsage();
    const file = figuresOf(process.pid);
    writeFileSync(`${file}.partial`, JSON.stringify({ heapUsed, external }));
    renameSync(`${file}.partial`, file);
  });
}

/** The node arguments that load this probe, built as `file`, into a process. */
export const heapProbeArgs = (file: string): string[] => ['--expose-gc', '--require', file];

/**
 * The heap and the external memory of a process started with heapProbeArgs, after a full collection, in MB. The
 * external memory (the buffers a message was read into) lags: V8 frees the buffers of a collection on another
 * thread, so right after one it may still count a message's 5.7 MB or two.
 */
export async function heapAfterCollection(child: ChildProcess, timeoutMs = 10000): Promise<{ heap: number; external: number }> {
  const file = figuresOf(child.pid!);
  rmSync(file, { force: true });
  child.kill('SIGUSR2');
  for (let waited = 0; !existsSync(file); waited += 20) {
    if (waited > timeoutMs) throw new Error(`process ${child.pid} wrote no heap figures within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  const { heapUsed, external } = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; external: number };
  rmSync(file);
  return { heap: heapUsed / 2 ** 20, external: external / 2 ** 20 };
}
