// The CLI's threads: the main thread and worker threads that run the CLI's own bundle (cliWorker.ts). They take two
// passes over the files, each in batches of consecutive files: the first reads each file and finds its Namespaces
// (firstPass in cliLintFile.ts), the second lints the files and hands back, per batch, the text each file prints
// (cliOutput.ts). Outcomes are taken in the order of the files, so the output is the same with any number of
// threads. The main thread works a batch whenever the workers have theirs, and takes in their replies between its
// batches; a worker gets batches once it has loaded the bundle. Memory stays bounded: at most WINDOW_PER_WORKER
// batches per thread wait for an earlier batch.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalyzeOptions } from './engine';
import { FirstPass, firstPass, IoError, lintFile, LintTask } from './cliLintFile';
import { Format, PreparedReport, prepareReport, ReportFormat } from './cliOutput';

/** What a worker needs for every batch: the format of the main thread's reports, and the size limit of the first pass. */
export interface WorkerSetup { format: Format; version: string; informationUri: string; maxFileSize?: number }

/** The first pass over consecutive files. */
export interface ReadRequest { kind: 'read'; run: number; batch: number; files: string[] }
/** Consecutive files to lint, each with the id of its options; the options the worker has not met yet (most files share a few). */
export interface LintRequest { kind: 'lint'; run: number; batch: number; files: { task: Omit<LintTask, 'options'>; optionsId: number }[]; options: [number, AnalyzeOptions][] }
export type WorkerRequest = ReadRequest | LintRequest;
/** Why a file could not be read or linted: an I/O error stops the run with its message when the file's turn comes. */
export interface Failure { error: string; io: boolean }
export type FileOutcome = PreparedReport | Failure;
export type FirstPassOutcome = FirstPass | Failure;
/** `ready`: the worker has loaded the bundle; otherwise the outcomes of a batch of a pass (`run`), one per file. */
export type WorkerReply = { ready: true } | { run: number; batch: number; outcomes: (FileOutcome | FirstPassOutcome)[] };

/** Batches sent to a worker before it answers: the next one is there when it finishes one. */
const IN_FLIGHT_PER_WORKER = 2;
/** How far ahead of the next batch to take the threads may run, in batches per thread. */
const WINDOW_PER_WORKER = 4;
/** Files a batch of the first pass reads: about a millisecond of work, few enough messages to cost nothing beside it. */
const READ_BATCH_FILES = 128;
/**
 * A batch to lint holds about this much YAML (some tens of milliseconds of work): few enough messages that passing
 * them costs nothing beside linting, and small enough that the threads finish together.
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

function failureOf(error: unknown): Failure {
  return { error: (error as Error).message, io: error instanceof IoError };
}

export function throwFailure({ error, io }: Failure): never {
  throw io ? new IoError(error) : new Error(error);
}

/** A file linted where it is, with what it prints; a failure is kept for when the file's turn comes. */
export function outcomeOf(task: LintTask, format: ReportFormat): FileOutcome {
  try { return prepareReport(lintFile(task), format); }
  catch (error) { return failureOf(error); }
}

/** The first pass over a file where it is; a failure is kept for when the file's turn comes. */
export function firstPassOutcomeOf(file: string, maxFileSize: number | undefined): FirstPassOutcome {
  try { return firstPass(file, maxFileSize); }
  catch (error) { return failureOf(error); }
}

interface Slot { worker: Worker; ready: boolean; inFlight: number; knows: Set<number> }

/** This thread and the worker threads started so far; `close` ends the workers. */
export class CliPool {
  private readonly slots: Slot[] = [];
  private readonly optionIds = new Map<AnalyzeOptions, number>();
  /** The pass under way: a reply of an earlier one (cut short by a failure) is dropped. */
  private run = 0;
  private readonly done = new Map<number, unknown[]>();
  private failure: Error | undefined;
  /** Resolves the wait for a worker's reply or failure. */
  private wake = () => {};

  constructor(private readonly setup: WorkerSetup, private readonly format: ReportFormat) {}

  /** Starts worker threads up to `count` in all; they load the bundle while this thread goes on. */
  start(count: number): void {
    while (this.slots.length < count) {
      const slot: Slot = { worker: new Worker(join(__dirname, 'cli.js'), { workerData: this.setup }), ready: false, inFlight: 0, knows: new Set() };
      slot.worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) slot.ready = true;
        else {
          slot.inFlight--;
          if (reply.run === this.run) this.done.set(reply.batch, reply.outcomes);
        }
        this.wake();
      });
      slot.worker.on('error', error => { this.failure ??= error; this.wake(); });
      slot.worker.on('exit', code => { this.failure ??= new Error(`a worker thread stopped (exit code ${code})`); this.wake(); });
      this.slots.push(slot);
    }
  }

  /** Stops the workers, without keeping the process until they have (one may still be loading the bundle). */
  close(): void {
    for (const { worker } of this.slots) {
      worker.removeAllListeners('exit');
      worker.unref();
      void worker.terminate();
    }
  }

  /**
   * The first pass over the files (none of them standard input), across this thread and the workers started so
   * far (no more are started for it: reading is quick beside linting), with `take` called in the files' order.
   */
  async firstPasses(files: readonly string[], take: (outcome: FirstPassOutcome, index: number) => void): Promise<void> {
    const { maxFileSize } = this.setup;
    if (!this.slots.length) {
      files.forEach((file, index) => take(firstPassOutcomeOf(file, maxFileSize), index));
      return;
    }
    await this.inOrder(Math.ceil(files.length / READ_BATCH_FILES), this.slots.length,
      (run, batch) => ({ kind: 'read', run, batch, files: files.slice(batch * READ_BATCH_FILES, (batch + 1) * READ_BATCH_FILES) }),
      batch => files.slice(batch * READ_BATCH_FILES, (batch + 1) * READ_BATCH_FILES).map(file => firstPassOutcomeOf(file, maxFileSize)),
      (batch, outcomes) => outcomes.forEach((outcome, i) => take(outcome as FirstPassOutcome, batch * READ_BATCH_FILES + i)));
  }

  /**
   * Lints the tasks with up to `jobs` threads, calling `emit` with each report, made ready by the format, in the
   * tasks' order. With one job, one file or little text, the files are linted in this thread. Otherwise this
   * thread is one of the `jobs`: a run on two cores starts one worker rather than two beside a thread that would
   * only wait.
   */
  async lintInOrder(tasks: readonly LintTask[], jobs: number, emit: (report: PreparedReport) => void): Promise<void> {
    const bytes = tasks.reduce((sum, task) => sum + task.bytes, 0);
    const threads = Math.min(jobs, tasks.length, Math.floor(bytes / BYTES_PER_THREAD));
    if (threads <= 1) {
      for (const task of tasks) emit(prepareReport(lintFile(task), this.format));
      return;
    }
    this.start(threads - 1);
    const batches = batchesOf(tasks, Math.max(1, Math.min(BATCH_BYTES, Math.floor(bytes / (threads * BATCHES_PER_THREAD)))));
    const request = (run: number, batch: number, slot: Slot): LintRequest => {
      const [first, end] = batches[batch];
      const request: LintRequest = { kind: 'lint', run, batch, files: [], options: [] };
      for (const { options, ...task } of tasks.slice(first, end)) {
        let optionsId = this.optionIds.get(options);
        if (optionsId === undefined) this.optionIds.set(options, optionsId = this.optionIds.size);
        if (!slot.knows.has(optionsId)) request.options.push([optionsId, options]);
        slot.knows.add(optionsId);
        request.files.push({ task, optionsId });
      }
      return request;
    };
    await this.inOrder(batches.length, threads - 1, request,
      batch => tasks.slice(...batches[batch]).map(task => outcomeOf(task, this.format)),
      (_, outcomes) => {
        for (const outcome of outcomes as FileOutcome[]) {
          if ('error' in outcome) throwFailure(outcome);
          emit(outcome);
        }
      });
  }

  /**
   * One pass of `batches` batches across this thread and the first `workers` workers, each batch's outcomes taken
   * in order: a batch goes to a worker that is ready and has fewer than IN_FLIGHT_PER_WORKER, else this thread works
   * it, unless the window is full, when it waits for a reply.
   */
  private async inOrder(batches: number, workers: number, request: (run: number, batch: number, slot: Slot) => WorkerRequest,
    here: (batch: number) => unknown[], take: (batch: number, outcomes: unknown[]) => void): Promise<void> {
    const run = ++this.run;
    this.done.clear();
    const slots = this.slots.slice(0, workers);
    const window = (workers + 1) * WINDOW_PER_WORKER;
    let sent = 0;
    let taken = 0;
    for (;;) {
      if (this.failure) throw this.failure;
      for (let next = this.done.get(taken); next; next = this.done.get(taken)) {
        this.done.delete(taken);
        take(taken++, next);
      }
      if (taken === batches) return;
      for (const slot of slots) {
        while (slot.ready && slot.inFlight < IN_FLIGHT_PER_WORKER && sent < batches && sent < taken + window) {
          slot.inFlight++;
          slot.worker.postMessage(request(run, sent++, slot));
        }
      }
      if (sent < batches && sent < taken + window) {
        const batch = sent++;
        this.done.set(batch, here(batch));
        // The replies that came in meanwhile are taken in (setImmediate runs after the event loop's poll for them).
        await new Promise(resolve => setImmediate(resolve));
      } else {
        await new Promise<void>(resolve => { this.wake = resolve; });
      }
    }
  }
}
