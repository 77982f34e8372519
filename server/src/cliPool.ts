// Lints the CLI's files across worker threads and hands the reports back in the order the files were given, so
// the output is the same with any number of threads. Files go to the threads in batches and come back as the
// text they print (cliOutput.ts); the main thread lints batches too, and writes every report in its turn.
// Memory stays bounded: a file is read by the thread that lints it, and at most WINDOW_PER_WORKER batches per
// thread wait for an earlier batch.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { IoError, lintFile, LintTask } from './cliLintFile';
import { Format, PreparedReport, prepareReport, ReportFormat } from './cliOutput';

/** What a worker needs to make the text of its reports: the same format as the main thread's. */
export interface WorkerSetup { format: Format; version: string; informationUri: string }

/** Consecutive files for a worker, each with the id of its options; the options it has not met yet (most files share a few). */
export interface WorkerRequest { batch: number; files: { task: Omit<LintTask, 'options'>; optionsId: number }[]; options: [number, AnalyzeOptions][] }
/** A file's report, or why it could not be linted (an I/O error stops the run when the file's turn comes). */
export type FileOutcome = PreparedReport | { error: string; io: boolean };
export interface WorkerReply { batch: number; outcomes: FileOutcome[] }

/** Batches sent to a worker before it answers: the next one is there when it finishes one. */
const IN_FLIGHT_PER_WORKER = 2;
/** How far ahead of the next batch to print the threads may run, in batches per thread. */
const WINDOW_PER_WORKER = 4;
/**
 * A batch holds about this much YAML (some tens of milliseconds of work): few enough messages that passing them
 * costs nothing beside linting, and small enough that the threads finish together.
 */
const BATCH_BYTES = 64 << 10;
/** And at most this many files, for files of (almost) no text, such as chart templates. */
const BATCH_FILES = 256;
/** Each thread gets at least this many batches of a small run, so that one slow batch does not hold the run back. */
const BATCHES_PER_THREAD = 8;
/**
 * A thread starts by loading the CLI's bundle, which costs about as much as linting this much YAML: a run over
 * less gets fewer threads, and one over less than twice this lints in this thread.
 */
const BYTES_PER_THREAD = 128 << 10;

/** The tasks cut into runs of consecutive files, as [first, end) indexes. */
export function batchesOf(tasks: readonly LintTask[], bytesPerBatch: number): [number, number][] {
  const batches: [number, number][] = [];
  let first = 0;
  let bytes = 0;
  for (let i = 0; i < tasks.length; i++) {
    bytes += tasks[i].bytes;
    if (bytes >= bytesPerBatch || i + 1 - first >= BATCH_FILES) {
      batches.push([first, i + 1]);
      first = i + 1;
      bytes = 0;
    }
  }
  if (first < tasks.length) batches.push([first, tasks.length]);
  return batches;
}

/** A file linted where it is, with what it prints; a failure is kept for when the file's turn comes. */
export function outcomeOf(task: LintTask, format: ReportFormat): FileOutcome {
  try { return prepareReport(lintFile(task), format); }
  catch (error) { return { error: (error as Error).message, io: error instanceof IoError }; }
}

/**
 * Lints the tasks with up to `jobs` threads, calling `emit` with each report, made ready by `format`, in the
 * tasks' order. With one job, one file or little text, the files are linted in this thread. Otherwise this thread
 * is one of the `jobs`: it lints a batch whenever the workers have theirs, and takes in their replies between its
 * batches. A run on two cores then starts one worker rather than two beside a thread that would only wait, and
 * this thread lints while the worker loads the bundle.
 */
export async function lintInOrder(tasks: readonly LintTask[], jobs: number, format: ReportFormat, setup: WorkerSetup, emit: (report: PreparedReport) => void): Promise<void> {
  const bytes = tasks.reduce((sum, task) => sum + task.bytes, 0);
  const threads = Math.min(jobs, tasks.length, Math.floor(bytes / BYTES_PER_THREAD));
  if (threads <= 1) {
    for (const task of tasks) emit(prepareReport(lintFile(task), format));
    return;
  }
  const batches = batchesOf(tasks, Math.max(1, Math.min(BATCH_BYTES, Math.floor(bytes / (threads * BATCHES_PER_THREAD)))));
  const window = threads * WINDOW_PER_WORKER;
  const optionIds = new Map<AnalyzeOptions, number>();
  const workers = Array.from({ length: threads - 1 }, () => ({
    worker: new Worker(join(__dirname, 'cli.js'), { workerData: setup }), inFlight: 0, knows: new Set<number>(),
  }));
  const done = new Map<number, FileOutcome[]>();
  let sent = 0;
  let emitted = 0;
  let failure: Error | undefined;
  /** Resolves the wait for a worker's reply or failure. */
  let wake = () => {};
  const dispatch = () => {
    for (const slot of workers) {
      while (slot.inFlight < IN_FLIGHT_PER_WORKER && sent < batches.length && sent < emitted + window) {
        const [first, end] = batches[sent];
        const request: WorkerRequest = { batch: sent++, files: [], options: [] };
        for (const { options, ...task } of tasks.slice(first, end)) {
          let optionsId = optionIds.get(options);
          if (optionsId === undefined) optionIds.set(options, optionsId = optionIds.size);
          if (!slot.knows.has(optionsId)) request.options.push([optionsId, options]);
          slot.knows.add(optionsId);
          request.files.push({ task, optionsId });
        }
        slot.inFlight++;
        slot.worker.postMessage(request);
      }
    }
  };
  const emitReady = () => {
    for (let next = done.get(emitted); next; next = done.get(emitted)) {
      done.delete(emitted++);
      for (const outcome of next) {
        if ('error' in outcome) throw outcome.io ? new IoError(outcome.error) : new Error(outcome.error);
        emit(outcome);
      }
    }
  };
  for (const slot of workers) {
    slot.worker.on('message', ({ batch, outcomes }: WorkerReply) => {
      slot.inFlight--;
      done.set(batch, outcomes);
      wake();
    });
    slot.worker.on('error', error => { failure ??= error; wake(); });
    slot.worker.on('exit', code => { failure ??= new Error(`a worker thread stopped (exit code ${code})`); wake(); });
  }
  try {
    for (;;) {
      if (failure) throw failure;
      emitReady();
      if (emitted === batches.length) break;
      dispatch();
      if (sent < batches.length && sent < emitted + window) {
        const batch = sent++;
        const [first, end] = batches[batch];
        done.set(batch, tasks.slice(first, end).map(task => outcomeOf(task, format)));
        // The replies that came in meanwhile are taken in (setImmediate runs after the event loop's poll for them).
        await new Promise(resolve => setImmediate(resolve));
      } else {
        await new Promise<void>(resolve => { wake = resolve; });
      }
    }
  } finally {
    await Promise.all(workers.map(({ worker }) => { worker.removeAllListeners('exit'); return worker.terminate(); }));
  }
}
