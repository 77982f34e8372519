// When the open documents are analysed: shortly after each change, a little at a time, and never for a version
// that a newer one has replaced. The analysis itself is incremental (engine/incremental.ts), so one keystroke
// costs the chunks it touched, and only a first open or a large paste has many chunks to analyse: those are
// published as they go, the first documents first, so that a large file shows its first problems at once.
import { AnalysisResult, AnalyzeOptions, IncrementalAnalyzer, Progress, StreamText, UnchangedEnds } from '../engine';
import { afterWaitingRequests } from './turns';

/**
 * A change waits for the messages that came with it, not for a time: the changes an editor sends together (a paste and
 * its format) are read and dispatched within the turns that afterWaitingRequests waits, and analysed once. A timer of
 * even 1 ms added a millisecond or two to every edit's round trip (`npm run bench:editor-scale`), and a change that
 * comes later than that stops the analysis of the one before at its next slice.
 */
/**
 * How long an analysis runs before it lets waiting messages in, so that a newer version can stop it and a request
 * is answered meanwhile. Code actions on another file while a 4 MB stream was analysed: median 4.6 ms with 4 ms,
 * 8.5 ms with 8 ms, for the same time to the whole result.
 */
const SLICE_MS = 4;
/**
 * How long an analysis that is not done after its first slice (when it publishes what it found so far) runs
 * before it publishes again. Each publication assembles every finding so far, so the wait doubles each time:
 * all publications together cost about as much as two assemblies of the whole result.
 */
const FIRST_REPUBLICATION_MS = 250;

export interface Snapshot {
  readonly uri: string;
  readonly version: number;
  getText(): string;
  /** The same text, held so that reading a part of it does not make the whole (see lsp/blockText.ts). */
  streamText?(): StreamText;
  /** What the text has of an earlier version's, when that is known: the analysis then reads only the rest. */
  unchangedSince?(version: number): UnchangedEnds | undefined;
}

interface Run { version: number; cancelTurn?: () => void }

/** How an analysis runs: with what options, and how many findings its result lists (see StreamAssembly). */
export interface Analysis { options: AnalyzeOptions; maxFindings?: number }

export class AnalysisScheduler {
  private readonly analyzer = new IncrementalAnalyzer('none');
  private readonly runs = new Map<string, Run>();
  /** The version of each document whose analysis completed last: the analyzer keeps its chunks. */
  private readonly analysed = new Map<string, number>();
  /** When the last analysis ended. */
  private lastRun = -Infinity;

  constructor(
    /** The latest version of an open document, or undefined once it is closed. */
    private readonly latest: (uri: string) => Snapshot | undefined,
    /** `complete`: the result is of the whole text, not of its first documents while the rest is analysed. */
    private readonly publish: (document: Snapshot, result: AnalysisResult, complete: boolean) => void,
    private readonly fail: (document: Snapshot, error: unknown) => void,
  ) {}

  /** Analyses the document's current version once the messages waiting now are handled, in place of any analysis of an older one. */
  schedule(document: Snapshot, analysis: Analysis): void {
    this.cancel(document.uri);
    const run: Run = { version: document.version };
    this.runs.set(document.uri, run);
    run.cancelTurn = afterWaitingRequests(() => this.start(document.uri, run, analysis));
  }

  /** How long no analysis has run or waited to start, in ms. */
  quietFor(): number {
    return this.runs.size ? 0 : performance.now() - this.lastRun;
  }

  /** Stops any analysis of the document and drops what was kept for it. */
  forget(uri: string): void {
    this.cancel(uri);
    this.analyzer.forget(uri);
    this.analysed.delete(uri);
  }

  private cancel(uri: string): void {
    const run = this.runs.get(uri);
    if (!run) return;
    this.ended(uri);
    run.cancelTurn?.();
  }

  private ended(uri: string): void {
    this.runs.delete(uri);
    this.lastRun = performance.now();
  }

  private isCurrent(uri: string, run: Run): boolean {
    return this.runs.get(uri) === run && this.latest(uri)?.version === run.version;
  }

  private start(uri: string, run: Run, { options, maxFindings }: Analysis): void {
    const document = this.latest(uri);
    if (!document || !this.isCurrent(uri, run)) return;
    const since = this.analysed.get(uri);
    const unchanged = since === undefined ? undefined : document.unchangedSince?.(since);
    const steps = this.analyzer.analyzeInSteps(uri, document.streamText?.() ?? document.getText(), options, maxFindings, unchanged);
    // The first documents are published before the rest only while the document has no complete result published:
    // after an edit, they would take the diagnostics of the documents after them away until the analysis ends.
    let nextPublication = since === undefined ? 0 : Infinity;
    let wait = FIRST_REPUBLICATION_MS;
    // What is found so far is published in a turn of its own, not after a slice: the messages that wait meanwhile
    // (a code action on another file) wait for one or the other, not for both.
    let due: Progress | undefined;
    const slice = (): void => {
      if (!this.isCurrent(uri, run)) return;
      const deadline = performance.now() + SLICE_MS;
      try {
        if (due) {
          this.publish(document, due.soFar(), false);
          due = undefined;
          nextPublication = performance.now() + wait;
          wait *= 2;
          run.cancelTurn = afterWaitingRequests(slice);
          return;
        }
        for (let step = steps.next(); ; step = steps.next()) {
          if (step.done) {
            this.ended(uri);
            this.analysed.set(uri, document.version);
            this.publish(document, step.value, true);
            return;
          }
          const now = performance.now();
          if (now < deadline) continue;
          if (now >= nextPublication) due = step.value;
          break;
        }
      } catch (error) {
        this.ended(uri);
        this.fail(document, error);
        return;
      }
      run.cancelTurn = afterWaitingRequests(slice);
    };
    slice();
  }
}
