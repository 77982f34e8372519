// Lints the CLI's files across worker threads and hands the reports back in the order the files were given, so
// the output is the same with any number of threads. Memory stays bounded: a file is read by the thread that
// lints it, and at most WINDOW_PER_WORKER reports per thread wait for an earlier file's report.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { FileReport, IoError, lintFile, LintTask } from './cliLintFile';

/** A file for a worker; its options only the first time the worker meets them (most files share a few). */
export interface WorkerRequest { index: number; task: Omit<LintTask, 'options'>; optionsId: number; options?: AnalyzeOptions }
export type WorkerReply = { index: number; report: FileReport } | { index: number; error: string; io: boolean };

/** Files sent to a worker before it answers: the next one is there when it finishes one. */
const IN_FLIGHT_PER_WORKER = 2;
/** How far ahead of the next report to print the threads may run, per thread. */
const WINDOW_PER_WORKER = 16;
/**
 * A thread starts by loading the CLI's bundle, which costs about as much as linting this much YAML: a run over
 * less gets fewer threads, and one over less than twice this lints in this thread.
 */
const BYTES_PER_THREAD = 128 << 10;

/**
 * Lints the tasks (`bytes` of text in all) with up to `jobs` threads, calling `emit` with each report in the
 * tasks' order. With one job, one file or little text, the files are linted in this thread.
 */
export async function lintInOrder(tasks: readonly LintTask[], jobs: number, bytes: number, emit: (report: FileReport) => void): Promise<void> {
  const threads = Math.min(jobs, tasks.length, Math.floor(bytes / BYTES_PER_THREAD));
  if (threads <= 1) {
    for (const task of tasks) emit(lintFile(task));
    return;
  }
  const window = threads * WINDOW_PER_WORKER;
  const optionIds = new Map<AnalyzeOptions, number>();
  const workers = Array.from({ length: threads }, () => ({ worker: new Worker(join(__dirname, 'cli.js')), inFlight: 0, knows: new Set<number>() }));
  const done = new Map<number, WorkerReply>();
  let sent = 0;
  let emitted = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const dispatch = () => {
        for (const slot of workers) {
          while (slot.inFlight < IN_FLIGHT_PER_WORKER && sent < tasks.length && sent < emitted + window) {
            const { options, ...task } = tasks[sent];
            let optionsId = optionIds.get(options);
            if (optionsId === undefined) optionIds.set(options, optionsId = optionIds.size);
            const request: WorkerRequest = { index: sent++, task, optionsId, ...(slot.knows.has(optionsId) ? {} : { options }) };
            slot.knows.add(optionsId);
            slot.inFlight++;
            slot.worker.postMessage(request);
          }
        }
      };
      for (const slot of workers) {
        slot.worker.on('message', (reply: WorkerReply) => {
          slot.inFlight--;
          done.set(reply.index, reply);
          try {
            for (let next = done.get(emitted); next; next = done.get(emitted)) {
              done.delete(emitted++);
              if ('error' in next) throw next.io ? new IoError(next.error) : new Error(next.error);
              emit(next.report);
            }
          } catch (error) { reject(error); return; }
          if (emitted === tasks.length) resolve(); else dispatch();
        });
        slot.worker.on('error', reject);
        slot.worker.on('exit', code => reject(new Error(`a worker thread stopped (exit code ${code})`)));
      }
      dispatch();
    });
  } finally {
    await Promise.all(workers.map(({ worker }) => { worker.removeAllListeners('exit'); return worker.terminate(); }));
  }
}
