// text -> documents -> Kubernetes objects -> pod specs -> containers -> findings.
// A stream is cut at its `---` marker lines into chunks that are parsed and analysed on their own, so one
// broken document does not hide the findings of the others, and a chunk's result depends on its text only
// (positions are relative to the chunk and shifted when the chunks are put together).
import { Document } from 'yaml';
import { EngineOptions, FixSpec, Report, Rule, RuleContext } from './rule';
import { RULES } from './rules';
import { AnalysisResult, Chunk, DocumentStatus, DocumentSummary, Finding, Fix, FixDemand, InternalError, Position, Range, RawFinding, SeveritySetting } from './types';
import { aliasExpansionExceeded, Deadline, internalError, LIMIT_MESSAGES, limitFinding, parseBounded } from './limits';
import { withoutByteOrderMarks } from './byteOrderMarks';
import { expandLists, findPodSpec, isRelevantKind, kubeObject } from './workloads';
import { spanOf } from './yamlNodes';
import { FixGuard, UNCHECKED } from './fixes/guard';
import { applySuppressions, byPosition, commentSuppressions, FileSuppressions, isExemptImage, objectSuppressions, UNUSED_SUPPRESSION_RULE } from './suppressions';
import { composeFile, ComposeFile } from './compose/model';
import { SERVICE_RULES } from './compose/rules';

export const PARSE_ERROR_RULE = 'parse-error';

/** The line breaks of JavaScript's multiline `^` and `$`. */
const LINE_BREAKS = '\n\r\u2028\u2029';
/** What may follow a marker's `---`: a separator, a line break, or the end of the text. */
const AFTER_MARKER = ` \t${LINE_BREAKS}`;

/**
 * Where the chunks of a stream start: at 0 and at each `---` line, where /^---(?=[ \t\r\n]|$)/m matches. The
 * `---`s are found with indexOf: the multiline pattern tries every position of the text, which took a quarter of
 * the time of an edit in a 2 MB stream.
 */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('---', 1); at >= 0; at = text.indexOf('---', at + 1)) if (startsChunk(text, at)) starts.push(at);
  return starts;
}

/** Does a chunk start at `at`, other than the first (a `---` line, see chunkStarts)? */
export function startsChunk(text: string, at: number): boolean {
  return at > 0 && text.startsWith('---', at) && LINE_BREAKS.includes(text[at - 1]) && (at + 3 === text.length || AFTER_MARKER.includes(text[at + 3]));
}

/** Cuts a stream at each `---` line; markers end block scalars too, so no chunk splits a node. */
export function splitStream(text: string): Chunk[] {
  const starts = chunkStarts(text);
  const chunks: Chunk[] = [];
  let line = 0;
  for (let i = 0; i < starts.length; i++) {
    const chunkText = text.slice(starts[i], starts[i + 1] ?? text.length);
    chunks.push({ text: chunkText, offset: starts[i], line });
    line += countNewlines(chunkText);
  }
  return chunks;
}

export function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

export interface DocumentResult {
  status: DocumentStatus;
  kind?: string;
  range: Range;
  findings: RawFinding[];
  /** How many findings of each rule the document has besides `findings`, when it was analysed only to count them. */
  counted?: Record<string, number>;
  errors?: InternalError[];
}

/** A top-level `kind:` line, found without parsing. */
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?([A-Za-z0-9.]+)["']?[ \t]*(?:#.*)?\r?$/gm;
const DOCUMENT_END = /^\.\.\.(?=[ \t\r\n]|$)/m;

/** Does a line hold a Helm/Go template action, `{{` and a later `}}`? */
export function isHelmTemplate(text: string): boolean {
  // The pattern /\{\{.*\}\}/ retries the rest of the line from every `{{`, which takes seconds on a long line of
  // `}{{`. Here each search moves forward only: the next `{{`, the next `}}` and the next line break (what `.`
  // does not match) after it are found with indexOf and kept until passed.
  /** Where `needle` is next found from `from`: `known` while it is not passed (-1: nowhere), else a new search. */
  const next = (needle: string, from: number, known: number | undefined) => (known !== undefined && (known < 0 || known >= from) ? known : text.indexOf(needle, from));
  let close, newline, carriageReturn, lineSeparator, paragraphSeparator;
  for (let open = text.indexOf('{{'); open >= 0;) {
    const from = open + 2;
    close = next('}}', from, close);
    if (close < 0) return false;
    newline = next('\n', from, newline);
    carriageReturn = next('\r', from, carriageReturn);
    lineSeparator = next('\u2028', from, lineSeparator);
    paragraphSeparator = next('\u2029', from, paragraphSeparator);
    const lineEnd = Math.min(...[newline, carriageReturn, lineSeparator, paragraphSeparator].filter(at => at >= 0), text.length);
    if (close < lineEnd) return true;
    open = text.indexOf('{{', lineEnd + 1);
  }
  return false;
}

/** The kind of a chunk's one document when it can be read off a line, else undefined. */
function quickKind(text: string): string | undefined {
  if (DOCUMENT_END.test(text)) return undefined;
  const kinds = [...text.matchAll(TOP_LEVEL_KIND)];
  return kinds.length === 1 ? kinds[0][1] : undefined;
}

function hasContent(text: string): boolean {
  return text.split('\n').some(line => !/^\s*(#.*)?$/.test(line) && !/^---\s*$/.test(line));
}

/** Turns offsets of a text into 0-based line/character positions; the line table is built on first use. */
export function positionsOf(text: string): (offset: number) => Position {
  let starts: number[] | undefined;
  return offset => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let low = 0, high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return { line: low, character: offset - starts[low] };
  };
}

/**
 * Which fixes of a chunk's findings are computed: a FixDemand for every finding, or a choice by the finding's
 * document in the chunk and its place among that document's reports (what a FixRef names).
 */
export type ChunkFixDemand = FixDemand | ((document: number, report: number) => boolean);

/** The demand for one finding. */
function demandOf(demand: ChunkFixDemand, document: number, report: number): FixDemand {
  return typeof demand === 'function' ? (demand(document, report) ? 'all' : 'none') : demand;
}

/** How a chunk's text is parsed for its analysis: parseChunk, or a host's cache of it (see analyzeText). */
export type ChunkParse = (text: string) => Document[] | { tooDeepAt: number };

/** A chunk's documents as its analysis parses them. */
export const parseChunk: ChunkParse = text => parseBounded(text, { version: '1.1' });

/**
 * The results of a chunk's documents. `counting`: only how many findings of each rule there are is wanted (an
 * editor that lists no more findings): the rules' reports are counted after their suppressions, not kept.
 */
export function analyzeChunk(written: string, options: EngineOptions = {}, fixes: ChunkFixDemand = 'all', counting = false, parse: ChunkParse = parseChunk): DocumentResult[] {
  // Parsed without the byte order marks that start its documents; positions are those of the text as written.
  const { text, toWritten } = withoutByteOrderMarks(written);
  const position = positionsOf(written);
  const toRange = ([start, end]: readonly [number, number]): Range => ({ start: position(toWritten(start)), end: position(toWritten(end)) });
  // Without the line table, which a chunk skipped by kind (a 23,000-line CRD) never needs otherwise.
  const chunkRange = (): Range => ({ start: { line: 0, character: 0 }, end: { line: countNewlines(written), character: written.length - written.lastIndexOf('\n') - 1 } });

  const nul = text.indexOf('\0');
  if (nul >= 0) {
    return [{
      status: 'parse-error', range: chunkRange(),
      findings: [{ rule: PARSE_ERROR_RULE, messageId: `${PARSE_ERROR_RULE}/binary`, message: 'Binary data (a NUL byte), not YAML text, so this document was not analysed.', range: toRange([nul, nul + 1]), documentIndex: 0 }],
    }];
  }
  if (isHelmTemplate(text)) return hasContent(text) ? [{ status: 'helm-template', range: chunkRange(), findings: [] }] : [];
  const kind = quickKind(text);
  if (kind && !isRelevantKind(kind)) return [{ status: 'ignored-kind', kind, range: chunkRange(), findings: [] }];

  const maxBytes = options.limits?.maxDocumentBytes;
  if (maxBytes !== undefined && text.length > maxBytes) {
    return [{ status: 'not-analysed', range: chunkRange(), findings: [limitFinding({ id: 'document-too-large', text: LIMIT_MESSAGES.documentTooLarge(text.length, maxBytes) }, text, toRange)] }];
  }
  const docs = parse(text);
  if (!Array.isArray(docs)) {
    return [{ status: 'parse-error', range: chunkRange(), findings: [{ rule: PARSE_ERROR_RULE, messageId: `${PARSE_ERROR_RULE}/too-deep`, message: LIMIT_MESSAGES.tooDeep(), range: toRange([docs.tooDeepAt, docs.tooDeepAt + 1]), documentIndex: 0 }] }];
  }
  return docs.map((doc, index) => {
    const demand = (report: number) => demandOf(fixes, index, report);
    try { return analyzeDocument(doc, text, options, toRange, { guard: new FixGuard(text, docs, index), document: index, demand, counting }); }
    catch (error) { return { status: 'not-analysed', range: chunkRange(), findings: [], errors: [internalError(undefined, error)] }; }
  });
}

/**
 * How a document's findings are made: their fixes, which to compute, checked by `guard` (`document` is its index in
 * the chunk); or, when `counting`, only what their suppressions need.
 */
interface FindingMaking { guard: FixGuard; document: number; demand: (report: number) => FixDemand; counting: boolean }

/** A document's result, with its findings counted by rule instead when it is analysed to count them. */
function analysed(result: DocumentResult, making: FindingMaking): DocumentResult {
  if (!making.counting) return result;
  const counted: Record<string, number> = {};
  for (const finding of result.findings) counted[finding.rule] = (counted[finding.rule] ?? 0) + 1;
  // Written out: a spread of the result gave each of 28,000 counted documents a hidden class of its own in V8 (7 MB
  // that every full collection walks, while a large stream is open).
  const { status, kind, range, errors } = result;
  return errors ? { status, kind, range, findings: [], counted, errors } : { status, kind, range, findings: [], counted };
}

function analyzeDocument(doc: Document, text: string, options: EngineOptions, toRange: (span: readonly [number, number]) => Range, making: FindingMaking): DocumentResult {
  const [start, , end] = doc.range ?? [0, 0, 0];
  const range = toRange([start, end]);
  if (doc.errors.length) {
    const error = doc.errors[0];
    return {
      status: 'parse-error', range,
      findings: [{
        rule: PARSE_ERROR_RULE,
        messageId: `${PARSE_ERROR_RULE}/syntax`,
        message: `YAML syntax error, so this document was not analysed: ${error.message.split('\n')[0]}`,
        // yaml may place an error at the end of input one past the text's last character.
        range: toRange([Math.min(error.pos[0], text.length), Math.min(error.pos[1], text.length)]), documentIndex: 0,
      }],
    };
  }
  if (doc.contents === null) return { status: 'empty', range, findings: [] };
  const root = kubeObject(doc.contents, doc);
  if (!root) {
    const compose = composeFile(doc.contents, doc, text);
    return compose ? analyzeCompose(compose, text, options, toRange, range, making) : { status: 'not-kubernetes', range, findings: [] };
  }
  if (!isRelevantKind(root.kind)) return { status: 'ignored-kind', kind: root.kind, range, findings: [] };
  // An alias is written `*name`: a text without a `*` has none to expand, and is spared the walk of its nodes.
  const bomb = text.includes('*') ? aliasExpansionExceeded(doc) : undefined;
  if (bomb) return { status: 'parse-error', kind: root.kind, range, findings: [{ rule: PARSE_ERROR_RULE, messageId: `${PARSE_ERROR_RULE}/alias-bomb`, message: LIMIT_MESSAGES.aliasBomb(), range: toRange(spanOf(bomb)), documentIndex: 0 }] };

  const findings: RawFinding[] = [];
  const errors: InternalError[] = [];
  const deadline = new Deadline(options.limits?.timeBudgetMs);
  /**
   * Runs one check of a rule, if it has it, unless the time is up; an exception ends that check only. The check
   * and its target are passed apart: a closure for each container and rule was a tenth of what the analysis of
   * 26,000 containers allocated.
   */
  const run = <T>(rule: Rule, check: ((target: T, context: RuleContext) => void) | undefined, target: T, context: RuleContext): boolean => {
    if (deadline.passed) return false;
    try { check?.call(rule, target, context); } catch (error) { errors.push(internalError(rule.meta.id, error)); }
    return true;
  };
  const suppressions = commentSuppressions(text, range);
  let complete = true;
  /** Reports so far, suppressed ones included: a finding's place among them is its FixRef's `report`. */
  let reports = 0;
  objects: for (const object of expandLists(root)) {
    const report = (rule: Rule) => (r: Report) => findings.push(toFinding(rule, r, object.resource, toRange, errors, making, reports++));
    const contextFor = (rule: Rule): RuleContext => ({ text, options, report: report(rule) });
    const pod = findPodSpec(object);
    suppressions.push(...objectSuppressions(object, pod, text, options, toRange));
    for (const rule of RULES) {
      const context = contextFor(rule);
      complete = run(rule, rule.checkObject, object, context);
      if (pod && complete) complete = run(rule, rule.checkPod, pod, context);
      for (const container of pod && rule.checkContainer ? pod.containers : []) {
        if (!complete) break;
        complete = run(rule, rule.checkContainer, container, context);
      }
      if (!complete) break objects;
    }
  }
  const kept = applySuppressions(findings, suppressions);
  if (!complete) kept.push(limitFinding({ id: 'out-of-time', text: LIMIT_MESSAGES.outOfTime(options.limits!.timeBudgetMs!) }, text, toRange, start));
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return analysed({ status: 'analysed', kind: root.kind, range, findings: kept, ...(errors.length ? { errors } : {}) }, making);
}

export const COMPOSE_KIND = 'Compose';

/** A Compose file: every service through the Compose checks of the rules, with the same limits and suppressions. */
function analyzeCompose(compose: ComposeFile, text: string, options: EngineOptions, toRange: (span: readonly [number, number]) => Range, range: Range, making: FindingMaking): DocumentResult {
  const bomb = aliasExpansionExceeded(compose.doc);
  if (bomb) return { status: 'parse-error', kind: COMPOSE_KIND, range, findings: [{ rule: PARSE_ERROR_RULE, messageId: `${PARSE_ERROR_RULE}/alias-bomb`, message: LIMIT_MESSAGES.aliasBomb(), range: toRange(spanOf(bomb)), documentIndex: 0 }] };
  const findings: RawFinding[] = [];
  const errors: InternalError[] = [];
  const deadline = new Deadline(options.limits?.timeBudgetMs);
  let complete = true;
  let reports = 0;
  // The `yaml` parser breaks lines at LF and CRLF only: a lone CR stays inside a value ("/tmp\r"), so Compose
  // edits, which rewrite values as lists, cannot be placed in such a file. It gets its findings without fixes.
  const fixable = !/\r(?!\n)/.test(text);
  services: for (const service of compose.services) {
    if (service.image && isExemptImage(service.image, options.exemptImages ?? [])) continue;
    for (const { rule, checkService } of SERVICE_RULES) {
      if (deadline.passed) { complete = false; break services; }
      const report = (r: Report) => findings.push({ ...toFinding(rule, fixable ? r : { ...r, fixes: undefined }, undefined, toRange, errors, making, reports++), container: service.name });
      try { checkService(service, { text, options, report }); } catch (error) { errors.push(internalError(rule.meta.id, error)); }
    }
  }
  const kept = applySuppressions(findings, commentSuppressions(text, range));
  if (!complete) kept.push(limitFinding({ id: 'out-of-time', text: LIMIT_MESSAGES.outOfTime(options.limits!.timeBudgetMs!) }, text, toRange, compose.doc.range?.[0] ?? 0));
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return analysed({ status: 'analysed', kind: COMPOSE_KIND, range, findings: kept, ...(errors.length ? { errors } : {}) }, making);
}

/**
 * Messages (and message ids) repeat: the same few hundred characters for each container of a stream of similar manifests, where
 * each finding built its own copy (160,000 findings of 40,000 Deployments held 50 MB of equal messages). Kept
 * findings share one copy of each; the table is emptied when full, so that it stays bounded. Where messages do not
 * repeat (most name their container), looking them up costs more than the copies save: after a thousand lookups
 * that found less than a tenth, the next nine thousand messages are kept as they are.
 */
const messages = new Map<string, string>();
/** Message ids by rule and by the rule's own id of the message: both are constants, quick to look up. */
const messageIds = new Map<string, Map<string, string>>();
const MAX_SHARED_MESSAGES = 10_000;
const sharing = { lookups: 0, found: 0, pausedFor: 0 };

function messageIdOf(rule: string, messageId: string): string {
  let ofRule = messageIds.get(rule);
  if (!ofRule) messageIds.set(rule, ofRule = new Map());
  let id = ofRule.get(messageId);
  if (id === undefined) {
    if (ofRule.size >= MAX_SHARED_MESSAGES) ofRule.clear();
    ofRule.set(messageId, id = `${rule}/${messageId}`);
  }
  return id;
}

function shared(message: string): string {
  if (sharing.pausedFor > 0) {
    sharing.pausedFor--;
    return message;
  }
  if (++sharing.lookups === 1000) {
    if (sharing.found < 100) sharing.pausedFor = 9000;
    sharing.lookups = sharing.found = 0;
  }
  const known = messages.get(message);
  if (known !== undefined) {
    sharing.found++;
    return known;
  }
  if (messages.size >= MAX_SHARED_MESSAGES) messages.clear();
  messages.set(message, message);
  return message;
}

function toFinding(rule: Rule, report: Report, resource: Finding['resource'], toRange: (span: readonly [number, number]) => Range, errors: InternalError[], making: FindingMaking, index: number): RawFinding {
  const span = (target: Report['at']) => (Array.isArray(target) ? target as readonly [number, number] : spanOf(target as never));
  // What suppressions read: the rule and where the finding starts.
  if (making.counting) return { rule: rule.meta.id, messageId: '', message: '', range: toRange(span(report.at)), documentIndex: 0 };
  const finding: RawFinding = {
    rule: rule.meta.id,
    messageId: messageIdOf(rule.meta.id, report.messageId),
    message: shared(report.message),
    range: toRange(span(report.at)),
    documentIndex: 0,
    resource,
  };
  if (report.severity) finding.severity = report.severity;
  if (report.container?.name) finding.container = report.container.name;
  if (report.related?.length) finding.related = report.related.map(r => ('at' in r ? { range: toRange(span(r.at)), message: r.message } : r));
  if (report.unnecessary) finding.unnecessary = true;
  if (!report.fixes) return finding;
  // The chunk's line is added when the finding is placed in its stream (see place).
  finding.fixRef = { line: 0, document: making.document, report: index };
  const demand = making.demand(index);
  if (demand === 'planned') {
    try {
      const specs = report.fixes(true);
      const planned = specs.find(fix => fix.isPreferred) ?? specs[0];
      if (planned) finding.plannedChanges = planned.changes;
    } catch (error) {
      errors.push(internalError(rule.meta.id, error));
    }
  } else if (demand !== 'none') {
    // A fix that fails to compute leaves the finding without fixes rather than losing it.
    try {
      const specs = demand === 'preferred' ? report.fixes().filter(fix => fix.isPreferred) : report.fixes();
      const fixes = specs.filter(fix => passes(fix, rule, finding.range, making.guard, errors)).map((fix: FixSpec): Fix => ({
        title: fix.title,
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edits: fix.edits.map(edit => ({ range: toRange([edit.start, edit.end]), newText: edit.text })),
        changes: fix.changes,
      }));
      if (fixes.length) finding.fixes = fixes;
    } catch (error) {
      errors.push(internalError(rule.meta.id, error));
    }
  }
  return finding;
}

/**
 * Whether a fix may be offered; one that fails its check is a bug, recorded as an internal error at its finding.
 * One that cannot be checked (too large, or its document does not convert) is left out like a fix that could not
 * be made safely.
 */
function passes(fix: FixSpec, rule: Rule, range: Range, guard: FixGuard, errors: InternalError[]): boolean {
  const problem = guard.problem(fix);
  if (problem && problem !== UNCHECKED) errors.push({ rule: rule.meta.id, documentIndex: 0, range, message: `the fix "${fix.title}" was not offered: ${problem}` });
  return !problem;
}

export interface AnalyzeOptions extends EngineOptions {
  /** Severity per rule id; `off` hides a rule. Rules not named keep their default. */
  severities?: Record<string, SeveritySetting>;
  /** Runs every rule: a rule that is `off` (by configuration or by default) gets its default severity, or `warning`. */
  allRules?: boolean;
}

const DEFAULT_SEVERITIES: Record<string, SeveritySetting> = Object.fromEntries([
  ...RULES.map(rule => [rule.meta.id, rule.meta.defaultSeverity]),
  [PARSE_ERROR_RULE, 'error'],
  [UNUSED_SUPPRESSION_RULE, 'hint'],
]);

export function severityOf(rule: string, options: AnalyzeOptions): SeveritySetting {
  const fallback = DEFAULT_SEVERITIES[rule] ?? 'warning';
  const severity = options.severities?.[rule] ?? fallback;
  if (severity !== 'off' || !options.allRules) return severity;
  return fallback === 'off' ? 'warning' : fallback;
}

/** Fixes computed on a chunk, moved to where the chunk starts in its stream. */
export function shiftFixes(fixes: readonly Fix[], line: number): Fix[] {
  return fixes.map(fix => ({ ...fix, edits: fix.edits.map(e => ({ ...e, range: shift(e.range, line) })) }));
}

function shift(range: Range, lines: number): Range {
  // Ranges are never changed in place: a chunk at the top of its stream (every stream of one document) keeps its own.
  if (!lines) return range;
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

/**
 * One document's results placed in the stream: at a line, as its n-th document, with the severities of `options`.
 * Its findings are placed only when they are listed (see StreamAssembly).
 */
interface PlacedDocument {
  line: number;
  index: number;
  options: AnalyzeOptions;
  summary: DocumentSummary;
  errors: InternalError[];
  findings?: Finding[];
  /** How many of its findings count past the listed ones, with no file directive in the stream. */
  unlisted?: number;
}

function place(result: DocumentResult, line: number, index: number, options: AnalyzeOptions): PlacedDocument {
  return {
    line, index, options,
    summary: { index, status: result.status, ...(result.kind ? { kind: result.kind } : {}), range: shift(result.range, line) },
    errors: (result.errors ?? []).map(error => ({ ...error, documentIndex: index, ...(error.range ? { range: shift(error.range, line) } : {}) })),
  };
}

/**
 * The findings of a document placed in its stream. `inPlace`: the raw findings become the placed ones, when no one
 * keeps the document's result (a whole text analysed once); else they are copied, since the incremental analysis
 * hands the same result back for later versions.
 */
function placeFindings(result: DocumentResult, { line, index, options }: PlacedDocument, inPlace: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const raw of result.findings) {
    const configured = severityOf(raw.rule, options);
    if (configured === 'off') continue;
    // Copied with Object.assign, which keeps the keys in the same order as a spread `{ ...raw, severity, ... }` but
    // takes a fifth of its time: a spread followed by more fields copies key by key (0.4 s for 130,000 findings).
    // Placed in place, the keys come in the same order too.
    const finding = (inPlace ? raw : Object.assign({}, raw)) as Finding;
    finding.severity = raw.severity ?? configured;
    finding.documentIndex = index;
    finding.range = shift(raw.range, line);
    if (raw.related) finding.related = raw.related.map(r => (r.file !== undefined ? r : { ...r, range: shift(r.range, line) }));
    if (raw.fixRef && inPlace) raw.fixRef.line = line;
    else if (raw.fixRef) finding.fixRef = { ...raw.fixRef, line };
    if (raw.fixes) finding.fixes = shiftFixes(raw.fixes, line);
    findings.push(finding);
  }
  return findings;
}

// The incremental analyser hands the same DocumentResult back for every document an edit did not touch;
// when it also sits where it sat, its placed findings are reused instead of copied again with their fixes.
const placed = new WeakMap<DocumentResult, PlacedDocument>();

/**
 * Chunk results put in their places in a stream one chunk after another, the first chunk first. With
 * `maxFindings`, only the first findings in file order are listed and the rest are only counted (`unlisted`):
 * an editor publishes no more, and a finding it does not list needs no message, range or place of its own.
 */
export class StreamAssembly {
  private readonly findings: Finding[] = [];
  private readonly documents: DocumentSummary[] = [];
  private readonly errors: InternalError[] = [];
  private unlisted = 0;

  constructor(
    private readonly options: AnalyzeOptions,
    /** The stream's file directives (of the whole stream, also while only its first chunks are added). */
    private readonly fileSuppressions: FileSuppressions,
    private readonly maxFindings = Infinity,
    /** Are the results added the assembly's to change (see placeFindings)? */
    private readonly ownsResults = false,
  ) {}

  /** Adds the results of the stream's next chunk. */
  add(chunk: Chunk, results: readonly DocumentResult[]): void {
    for (const result of results) {
      // Results the assembly owns are placed once: nothing hands them back, and kept in the WeakMap their findings
      // would live until a full collection.
      let done = this.ownsResults ? undefined : placed.get(result);
      if (!done || done.line !== chunk.line || done.index !== this.documents.length || done.options !== this.options) {
        done = place(result, chunk.line, this.documents.length, this.options);
        if (!this.ownsResults) placed.set(result, done);
      }
      this.documents.push(done.summary);
      for (const error of done.errors) this.errors.push(error);
      if (!this.full) {
        // The analysis lists the findings of a counted document again before it adds it (see IncrementalAnalyzer).
        if (result.counted) throw new Error(`document ${done.index} was analysed to count its findings, not to list them`);
        for (const finding of done.findings ??= placeFindings(result, done, this.ownsResults)) {
          if (!this.fileSuppressions.none && this.fileSuppressions.suppresses(finding.rule)) continue;
          if (this.findings.length < this.maxFindings) this.findings.push(finding); else this.unlisted++;
        }
      } else if (this.fileSuppressions.none) {
        // The same for every analysis that finds this document where it was: an edit elsewhere does not count it again.
        this.unlisted += done.unlisted ??= this.countable(result);
      } else {
        for (const raw of result.findings) this.count(raw.rule, 1);
        for (const rule in result.counted) this.count(rule, result.counted[rule]);
      }
    }
  }

  /** Have as many findings been listed as may be? The next ones are only counted. */
  get full(): boolean {
    return this.findings.length >= this.maxFindings;
  }

  /** The findings of a document that are reported by the options' severities (see count). */
  private countable(result: DocumentResult): number {
    let findings = 0;
    for (const raw of result.findings) if (severityOf(raw.rule, this.options) !== 'off') findings++;
    for (const rule in result.counted) if (severityOf(rule, this.options) !== 'off') findings += result.counted[rule];
    return findings;
  }

  private count(rule: string, findings: number): void {
    if (severityOf(rule, this.options) === 'off') return;
    if (!this.fileSuppressions.none && this.fileSuppressions.suppresses(rule)) return;
    this.unlisted += findings;
  }

  /**
   * The result of the chunks added so far: of the whole stream when `complete`, else of its first chunks,
   * analysed while the rest is not yet, where whether a file directive is unused is not known yet.
   */
  result(complete: boolean): AnalysisResult {
    let findings = [...this.findings];
    let unlisted = this.unlisted;
    const documents = [...this.documents];
    const severity = severityOf(UNUSED_SUPPRESSION_RULE, this.options);
    if (complete && severity !== 'off' && !this.fileSuppressions.none) {
      const hints = this.fileSuppressions.unusedHints({ findings, documents }, severity);
      if (hints.length) {
        findings = [...findings, ...hints].sort(byPosition);
        // A hint before the last listed finding pushes findings out of the list, as a finding would.
        if (findings.length > this.maxFindings) {
          unlisted += findings.length - this.maxFindings;
          findings = findings.slice(0, this.maxFindings);
        }
      }
    }
    return { findings, documents, ...(unlisted ? { unlisted } : {}), ...(this.errors.length ? { errors: [...this.errors] } : {}) };
  }
}

/**
 * Moves the chunks' results to their places in the stream and applies the configured severities. The results
 * become the stream's: nothing else may keep them.
 */
export function assemble(chunks: readonly { chunk: Chunk; results: DocumentResult[] }[], options: AnalyzeOptions): AnalysisResult {
  const assembly = new StreamAssembly(options, new FileSuppressions(chunks.map(({ chunk }) => chunk)), Infinity, true);
  for (const { chunk, results } of chunks) assembly.add(chunk, results);
  return assembly.result(true);
}

/**
 * The findings of a stream, with the fixes `fixes` asks for (all of them unless told otherwise). A host that reads
 * the parsed documents too (a source placing the findings of what it rendered) passes `parse`, a cache of
 * parseChunk, so that the text is parsed once.
 */
export function analyzeText(text: string, options: AnalyzeOptions = {}, fixes: FixDemand = 'all', parse: ChunkParse = parseChunk): AnalysisResult {
  return assemble(splitStream(text).map(chunk => ({ chunk, results: analyzeChunk(chunk.text, options, fixes, false, parse) })), options);
}
