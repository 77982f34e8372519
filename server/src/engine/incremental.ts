// Incremental analysis of the streams open in an editor. A chunk's results depend on its text and the engine
// options only (see analyzeChunk), so they are kept per chunk text and re-used by every later version of any
// open stream: an edit costs one re-split of the stream and the analysis of the chunks it touched. A caller that
// knows which part of the text an edit changed (an editor does) spares even the re-split: the chunks before and
// after that part are taken from the last analysis without reading their text.
import { analyzeChunk, AnalyzeOptions, countNewlines, DocumentResult, startsChunk, StreamAssembly } from './analyze';
import { FileSuppressions, hasFileDirective } from './suppressions';
import { AnalysisResult, Chunk, FixDemand } from './types';

interface CacheEntry {
  /** A copy of the chunk text that holds on to nothing else (see ownCopy). */
  text: string;
  /** Its documents' results; with `counted` findings when the chunk was analysed only to count them. */
  results: DocumentResult[];
  /** Was it analysed to count its findings (past the findings an analysis lists)? It is analysed again to list them. */
  counting: boolean;
  /** Line breaks in the text: the chunks after it start that many lines further. */
  newlines: number;
  /** How many chunks of the streams' latest analysed versions have this text. */
  users: number;
  /** Might it hold a `# kube-immutable-ignore-file` directive (see hasFileDirective)? */
  fileDirective: boolean;
}

type ChunkTable = Map<string, CacheEntry>;

/** Where a paused analysis is. */
export interface Progress {
  /** The result of the first chunks of the stream, those analysed so far (see StreamAssembly.result). */
  soFar(): AnalysisResult;
}

/**
 * What an edit left as it was: the text of a stream equals the text of its last completed analysis in its first
 * `prefix` and its last `suffix` characters; that text was `previousLength` long.
 */
export interface UnchangedEnds {
  prefix: number;
  suffix: number;
  previousLength: number;
}

/**
 * A stream's text as the incremental analysis reads it: a string, or a text an editor holds in pieces, which makes
 * only the slices asked for. An edit of one character in a 2 MB string makes a new 2 MB string as soon as anything
 * reads it (1.6 ms on our machine); the analysis of an edit reads only the chunks it touched and the text around
 * the edit, so a text in pieces spares that copy.
 */
export interface StreamText {
  readonly length: number;
  slice(start: number, end?: number): string;
  /** The whole text. */
  toString(): string;
}

/** One object for "no options", so that calls without options share their results. */
const NO_OPTIONS: AnalyzeOptions = Object.freeze({});

interface StreamState {
  table: ChunkTable;
  /** The entries of the latest version whose analysis completed, one per chunk. */
  entries: CacheEntry[];
  /** Where those chunks start in that version's text, and its length. */
  starts: number[];
  length: number;
  /** Entries made by analyses of this stream that are not counted in `users` yet. */
  provisional: Set<CacheEntry>;
}

/**
 * Keeps chunk results for a set of streams (the documents open in an editor), each named by a key. Results are
 * kept per options object, so pass the same object while the configuration stays the same. An entry lives as
 * long as the latest analysed version of some stream has a chunk with its text.
 */
export class IncrementalAnalyzer {
  private readonly tables = new Map<AnalyzeOptions, ChunkTable>();
  private readonly streams = new Map<string, StreamState>();

  /** `fixes`: which fixes every analysis computes (an editor computes none until asked, see fixes/onDemand.ts). */
  constructor(private readonly fixes: FixDemand = 'all') {}

  /** The same result as `analyzeText(text, options, fixes)`. */
  analyze(key: string, text: string, options: AnalyzeOptions = NO_OPTIONS): AnalysisResult {
    const steps = this.analyzeInSteps(key, text, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `analyze` cut into steps: it pauses after each chunk it had to analyse, so a caller can stop when a newer
   * version arrives, or publish what is done. Chunks analysed before a stop are kept for the next version of the
   * same stream. With `maxFindings`, the result lists only the first findings and counts the rest (see
   * StreamAssembly). With `unchanged`, the chunks that lie in the unchanged ends are those of the last analysis.
   */
  *analyzeInSteps(key: string, text: StreamText, options: AnalyzeOptions = NO_OPTIONS, maxFindings = Infinity, unchanged?: UnchangedEnds): Generator<Progress, AnalysisResult, void> {
    const table = this.tableFor(options);
    const state = this.stateFor(key, table);
    const previous = state.entries;
    const { starts, kept, more } = this.chunkStartsOf(state, text, unchanged);
    // Counted from the end, a chunk's place in the previous version; unknown while the starts are still searched for.
    const shift = more ? 0 : previous.length - starts.length;
    /** The entry of the last analysis for a chunk in the unchanged ends, whose text need not be read. */
    const keptEntry = (i: number) => (i + 1 < kept.prefix ? previous[i] : i >= starts.length - kept.suffix ? previous[i + shift] : undefined);
    // The result is put together a chunk at a time as the chunks are analysed, for what is published meanwhile
    // and for the whole; it tells when the findings that are listed are all found.
    const assembly = new StreamAssembly(options, this.fileSuppressions(text, starts, keptEntry), maxFindings);
    const progress: Progress = { soFar: () => assembly.result(false) };
    const entries: CacheEntry[] = [];
    for (let i = 0, line = 0, searching = !!more; i < starts.length; i++) {
      // The end of this chunk is the start of the next, searched for as the chunks are analysed.
      while (searching && starts.length < i + 2) searching = more!();
      let entry = keptEntry(i);
      const chunk: Chunk = { text: entry?.text ?? text.slice(starts[i], starts[i + 1] ?? text.length), offset: starts[i], line };
      // The entry at the same place in the previous version, counted from the start or from the end, is compared
      // first: most chunks of an edited stream have one, and a comparison costs less than the hash of the text
      // that a look-up in the table computes.
      entry ??= previous[i]?.text === chunk.text ? previous[i] : previous[i + shift]?.text === chunk.text ? previous[i + shift] : table.get(chunk.text);
      // Past the findings that are listed, a chunk is analysed only to count its findings.
      const counting = assembly.full;
      const known = entry !== undefined && (counting || !entry.counting);
      if (!entry) {
        const own = ownCopy(chunk.text, text);
        entry = { text: own, results: analyzeChunk(own, options, this.fixes, counting), counting, newlines: countNewlines(own), users: 0, fileDirective: hasFileDirective(own) };
        table.set(own, entry);
        state.provisional.add(entry);
      } else if (!known) {
        // Counted by an earlier version, listed in this one: an edit before it removed findings.
        entry.results = analyzeChunk(entry.text, options, this.fixes);
        entry.counting = false;
      }
      entries.push(entry);
      assembly.add(chunk, entry.results);
      line += entry.newlines;
      if (!known) yield progress;
    }
    this.commit(key, table, entries, starts, text.length);
    return assembly.result(true);
  }

  /**
   * The stream's file directives. Without one in the stream (the rule) the text is searched only where no chunk of
   * the last analysis is kept, the kept chunks' entries saying whether they hold one.
   */
  private fileSuppressions(text: StreamText, starts: number[], keptEntry: (i: number) => CacheEntry | undefined): FileSuppressions {
    let first = -1, last = -1;
    for (let i = 0; i < starts.length; i++) {
      const entry = keptEntry(i);
      if (entry?.fileDirective) return FileSuppressions.of(String(text));
      if (!entry) { if (first < 0) first = i; last = i; }
    }
    if (first < 0) return new FileSuppressions([]);
    const searched = first === 0 && last === starts.length - 1 ? String(text) : text.slice(starts[first], starts[last + 1] ?? text.length);
    return hasFileDirective(searched) ? FileSuppressions.of(String(text)) : new FileSuppressions([]);
  }

  /**
   * Where the chunks of `text` start, and how many of the first and of the last chunks (`kept`) are those of the
   * stream's last analysis, by `unchanged`: a chunk start stays one where the marker line and the line break
   * before it are unchanged, so only the starts in between are searched for. Without `unchanged`, the starts are
   * searched for as the chunks are analysed: `more` adds the next one to `starts`, and returns false at the end of
   * the text (the search of a 4 MB stream took 5-10 ms, in the first step of its analysis).
   */
  private chunkStartsOf(state: StreamState, text: StreamText, unchanged: UnchangedEnds | undefined): { starts: number[]; kept: { prefix: number; suffix: number }; more?: () => boolean } {
    const previous = state.starts;
    const usable = unchanged && state.entries.length && unchanged.previousLength === state.length
      && unchanged.prefix + unchanged.suffix <= Math.min(state.length, text.length);
    if (!usable) {
      const whole = String(text);
      const starts = [0];
      let from = 1;
      const more = () => {
        for (let at = whole.indexOf('---', from); at >= 0; at = whole.indexOf('---', at + 1)) {
          if (!startsChunk(whole, at)) continue;
          starts.push(at);
          from = at + 1;
          return true;
        }
        from = whole.length;
        return false;
      };
      return { starts, kept: { prefix: 0, suffix: 0 }, more };
    }
    const { prefix, suffix } = unchanged;
    const delta = text.length - state.length;
    // A start `at` reads the text from at - 1 to at + 3 (the character after `---`, or the end of the text).
    // The first chunk starts at 0 whatever its text.
    let before = 1;
    while (before < previous.length && previous[before] + 4 <= prefix) before++;
    let after = previous.length;
    while (after > before && previous[after - 1] - 1 >= state.length - suffix) after--;
    const starts = previous.slice(0, before);
    const last = text.length - suffix;
    // Only the changed text is read, with four characters either side: a `---` that starts up to three characters
    // before it or at its end, the line break before that, and the character after it (the region ends where the
    // text does, or past that character).
    const from = Math.max(1, prefix - 3);
    const regionStart = from - 1;
    const region = text.slice(regionStart, Math.min(text.length, last + 4));
    for (let at = region.indexOf('---', from - regionStart); at >= 0 && at + regionStart <= last; at = region.indexOf('---', at + 1)) {
      if (startsChunk(region, at)) starts.push(at + regionStart);
    }
    for (let i = after; i < previous.length; i++) starts.push(previous[i] + delta);
    return { starts, kept: { prefix: before, suffix: previous.length - after } };
  }

  /** Drops what is kept for a stream (a document was closed). */
  forget(key: string): void {
    const state = this.streams.get(key);
    if (!state) return;
    this.streams.delete(key);
    this.release(state, []);
  }

  /** How many chunk results are kept, over all options. */
  get size(): number {
    let size = 0;
    for (const table of this.tables.values()) size += table.size;
    return size;
  }

  private tableFor(options: AnalyzeOptions): ChunkTable {
    let table = this.tables.get(options);
    if (!table) this.tables.set(options, table = new Map());
    return table;
  }

  private stateFor(key: string, table: ChunkTable): StreamState {
    let state = this.streams.get(key);
    if (state && state.table !== table) {
      // The options changed: nothing of the old table is of use to this stream any more.
      this.release(state, []);
      state = undefined;
    }
    if (!state) this.streams.set(key, state = { table, entries: [], starts: [], length: 0, provisional: new Set() });
    return state;
  }

  /** Makes `entries`, of chunks at `starts` in a text of `length`, the stream's latest version. */
  private commit(key: string, table: ChunkTable, entries: CacheEntry[], starts: number[], length: number): void {
    const state = this.stateFor(key, table);
    for (const entry of entries) entry.users++;
    this.release(state, entries);
    state.starts = starts;
    state.length = length;
  }

  /** Un-counts the stream's previous version and drops every entry no stream uses any more. */
  private release(state: StreamState, next: CacheEntry[]): void {
    for (const entry of state.entries) entry.users--;
    for (const entry of [...state.entries, ...state.provisional]) {
      if (entry.users === 0 && state.table.get(entry.text) === entry) state.table.delete(entry.text);
    }
    state.entries = next;
    state.provisional.clear();
    if (!state.table.size) {
      for (const [options, table] of this.tables) if (table === state.table) this.tables.delete(options);
    }
  }
}

/**
 * A chunk's text as it is kept. V8 represents `slice`s of long strings as views into the whole string, so a
 * kept chunk would keep the whole text of an old version of its stream in memory: a chunk gets a copy of its
 * own (the concatenation is flattened into a new string before it is sliced). Except a chunk that is most of
 * its stream (a large CRD): the view costs less than twice its size, and copying it on each edit would make
 * several megabytes of garbage per keystroke.
 */
function ownCopy(chunk: string, stream: StreamText): string {
  return chunk.length * 2 > stream.length ? chunk : (' ' + chunk).slice(1);
}
