// What the editor analyses of a very large or hostile file, and how it says what it left out. The CLI has no
// such limits; the engine's own bounds (nesting depth, alias expansion) hold everywhere.
import { AnalyzeOptions, ANALYSIS_LIMIT_RULE, countNewlines, EDITOR_LIMITS, Finding, InternalError, LIMIT_MESSAGES, splitStream, startsChunk, StreamText, UnchangedEnds } from './engine';
import { Snapshot } from './lsp/analysisScheduler';

const limited = new WeakMap<AnalyzeOptions, AnalyzeOptions>();

/** The options with the editor's limits; the same object for the same options, so cached results are shared. */
export function withEditorLimits(options: AnalyzeOptions): AnalyzeOptions {
  let result = limited.get(options);
  if (!result) limited.set(options, result = { ...options, limits: EDITOR_LIMITS });
  return result;
}

/** The whole chunks of a stream that end within `maxBytes`: how much of it the editor analyses. */
export function analysedLength(text: string, maxBytes: number = EDITOR_LIMITS.maxStreamBytes): number {
  if (text.length <= maxBytes) return text.length;
  // The chunks that end within maxBytes end where the last chunk starting there starts, found from maxBytes
  // backwards: the text before it is not searched.
  for (let at = text.lastIndexOf('---', maxBytes); at > 0; at = text.lastIndexOf('---', at - 1)) if (startsChunk(text, at)) return at;
  return 0;
}

/** A document's text as the editor analyses it: a stream over the size limit loses the documents past it. */
export class EditorSnapshot implements Snapshot {
  private cut?: Cut;
  private limitNotes?: Finding[];

  constructor(
    private readonly document: Snapshot,
    /** The length of the whole file when the document holds only its start (a large file read from disk in part). */
    private readonly wholeLength?: number,
  ) {}

  get uri(): string { return this.document.uri; }
  get version(): number { return this.document.version; }

  getText(): string {
    return this.analysed().text;
  }

  /** The document's text in pieces while it is not cut, so that an edit is analysed without making the whole. */
  streamText(): StreamText {
    return this.whole() ? this.document.streamText?.() ?? this.getText() : this.getText();
  }

  /** What changed in the document, while neither its text nor the earlier one is cut. */
  unchangedSince(version: number): UnchangedEnds | undefined {
    const unchanged = this.document.unchangedSince?.(version);
    return unchanged && unchanged.previousLength <= EDITOR_LIMITS.maxStreamBytes && this.whole() ? unchanged : undefined;
  }

  /**
   * One information finding at the first line left out, when some were. Made when first asked for, by the first
   * publication: counting the lines of 4 MB took 18 ms in a fresh server, in the turn the analysis starts in, which
   * a request that came with the document waited for.
   */
  notes(): Finding[] {
    return this.limitNotes ??= this.whole() ? [] : this.noteOf(this.analysed());
  }

  /** Is the document analysed whole: held whole, and within the size limit? Known without reading its text. */
  private whole(): boolean {
    const length = this.document.streamText?.().length ?? this.document.getText().length;
    return this.wholeLength === undefined && length <= EDITOR_LIMITS.maxStreamBytes;
  }

  private analysed(): Cut {
    if (this.cut) return this.cut;
    const full = this.document.getText();
    const whole = Math.max(this.wholeLength ?? 0, full.length);
    // The last chunk of a file read in part may be cut anywhere, so it is left out like those past the limit.
    const length = whole > full.length ? lastChunkStart(full) : analysedLength(full);
    return this.cut = { text: length === whole ? full : full.slice(0, length), full, whole };
  }

  private noteOf({ text, full, whole }: Cut): Finding[] {
    if (text.length === whole) return [];
    const { length } = text;
    const line = countNewlines(text);
    const lineEnd = full.indexOf('\n', length);
    return [{
      rule: ANALYSIS_LIMIT_RULE, messageId: `${ANALYSIS_LIMIT_RULE}/stream-too-large`, severity: 'info', documentIndex: 0,
      message: LIMIT_MESSAGES.streamTooLarge(length, whole, line),
      range: { start: { line, character: 0 }, end: { line, character: (lineEnd < 0 ? full.length : lineEnd) - length } },
    }];
  }
}

/** What the editor analyses of a text (`text`), the text it holds (`full`), and the file's whole length. */
interface Cut { text: string; full: string; whole: number }

function lastChunkStart(text: string): number {
  const chunks = splitStream(text);
  return chunks[chunks.length - 1].offset;
}

export function editorSnapshot(document: Snapshot | undefined): EditorSnapshot | undefined {
  return document && new EditorSnapshot(document);
}

/** The limit notes of a snapshot the editor analysed. */
export function limitNotes(document: Snapshot): Finding[] {
  return document instanceof EditorSnapshot ? document.notes() : [];
}

/** A line for the output channel per error, each logged once per document (cached results repeat them). */
export class InternalErrorLog {
  private readonly logged = new Set<string>();

  constructor(private readonly write: (line: string) => void) {}

  report(uri: string, errors: readonly InternalError[] | undefined): void {
    for (const error of errors ?? []) {
      const key = `${uri}\0${error.rule}\0${error.message}`;
      if (this.logged.has(key)) continue;
      this.logged.add(key);
      if (error.range) {
        this.write(`Internal error: rule ${error.rule} at ${uri}:${error.range.start.line + 1}:${error.range.start.character + 1}: ${error.message}`);
        continue;
      }
      const where = error.rule ? `Rule ${error.rule} failed` : 'The analysis failed';
      this.write(`${where} on document ${error.documentIndex + 1} of ${uri}; its other findings are shown. ${error.stack ?? error.message}`);
    }
  }

  /** Fix-all was not offered: its fixes together failed their check. */
  fixAllRefused(uri: string, problem: string): void {
    const key = `${uri}\0fix-all\0${problem}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.write(`Internal error: fix-all was not offered for ${uri}: ${problem}`);
  }
}
