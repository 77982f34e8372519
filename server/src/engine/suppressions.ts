// Findings accepted on purpose, where reviewers see it:
// - `# kube-immutable-ignore <rule>[,<rule>] -- <reason>` on the line above a container item, a key or a
//   resource covers what that line opens (the item, the key's value, or the whole document);
// - `# kube-immutable-ignore-file [<rule>,...]` covers the whole stream (every rule when none is named);
// - the annotation `kube-immutable.io/ignore: "<rule>,<rule>"` on an object's or a pod template's metadata;
// - the annotations of kube-linter, Polaris and Checkov for the rules that match their checks.
// Line and annotation suppressions are applied to one document's findings (so they work chunk by chunk);
// a suppression of ours that suppresses nothing is reported, so stale ones do not pile up.
import { isScalar, Node, Pair, Scalar } from 'yaml';
import { parseImageReference } from './imageReference';
import { rulesExemptedByPeerAnnotation } from './knowledge/peerChecks';
import { EngineOptions } from './rule';
import { RULES } from './rules';
import { AnalysisResult, Chunk, Finding, Fix, Range, RawFinding, Severity } from './types';
import { KubeObject, PodSpec } from './workloads';
import { findPair, getMap } from './yamlNodes';

export const UNUSED_SUPPRESSION_RULE = 'unused-suppression';
const IGNORE_ANNOTATION = 'kube-immutable.io/ignore';
const LINE_DIRECTIVE = 'kube-immutable-ignore';
const FILE_DIRECTIVE = 'kube-immutable-ignore-file';

/** `# kube-immutable-ignore[-file] <rules> -- <reason>` as a whole comment line. */
const DIRECTIVE = /^([ \t]*#[ \t]*)(kube-immutable-ignore(?:-file)?)(?=[ \t\r]|$)([^\r]*)/;

export interface NamedRule { id: string; range: Range }

export interface Directive {
  kind: 'line' | 'file';
  line: number;
  /** The keyword, where a "names no rule" hint goes. */
  keywordRange: Range;
  rules: NamedRule[];
  reason?: string;
}

/** Reads a directive off one line of text (`line` is its 0-based number), or undefined when it holds none. */
export function parseDirective(text: string, line: number): Directive | undefined {
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const [, lead, keyword, rest] = match;
  const restStart = lead.length + keyword.length;
  const separator = /(?:^|[ \t])--(?:[ \t]|$)/.exec(rest);
  const list = separator ? rest.slice(0, separator.index) : rest;
  const rules: NamedRule[] = [];
  for (const token of list.matchAll(/[^\s,]+/g)) {
    const start = restStart + token.index!;
    rules.push({ id: token[0], range: { start: { line, character: start }, end: { line, character: start + token[0].length } } });
  }
  const reason = separator ? rest.slice(separator.index + separator[0].length).trim() : undefined;
  return {
    kind: keyword === FILE_DIRECTIVE ? 'file' : 'line', line, rules,
    keywordRange: { start: { line, character: lead.length }, end: { line, character: restStart } },
    ...(reason ? { reason } : {}),
  };
}

/** Where findings are suppressed: lines of the chunk (or stream) and the rules named there. */
export interface Suppression {
  firstLine: number;
  lastLine: number;
  rules: NamedRule[];
  /** What to call it in a "suppresses nothing" hint; absent for peers' annotations, which serve other tools too. */
  label?: string;
  keywordRange?: Range;
  /** The line of a comment directive, which a fix can edit. */
  commentLine?: number;
}

const isBlankOrComment = (line: string) => /^\s*(#[^\n]*)?$/.test(line);
const indentOf = (line: string) => line.length - line.trimStart().length;

/** The last line of what `lines[start]` opens: a sequence item, or a key with its (possibly flush) value. */
function blockEnd(lines: readonly string[], start: number, last: number): number {
  const head = lines[start];
  const indent = indentOf(head);
  const isItem = /^-(\s|$)/.test(head.trimStart());
  let end = start;
  for (let i = start + 1; i <= last; i++) {
    const line = lines[i];
    if (isBlankOrComment(line)) continue;
    const deeper = indentOf(line) > indent || (!isItem && indentOf(line) === indent && /^-(\s|$)/.test(line.trimStart()));
    if (!deeper) break;
    end = i;
  }
  return end;
}

/** The suppressions that `# kube-immutable-ignore` comments make in one document of a chunk. */
export function commentSuppressions(text: string, document: Range): Suppression[] {
  if (!text.includes(LINE_DIRECTIVE)) return [];
  const lines = text.split('\n');
  const first = document.start.line;
  const last = Math.min(document.end.line, lines.length - 1);
  const isContent = (line: string) => !isBlankOrComment(line) && !/^(---|%)/.test(line);
  let documentStart = first;
  while (documentStart <= last && !isContent(lines[documentStart])) documentStart++;
  const suppressions: Suppression[] = [];
  for (let line = first; line <= last; line++) {
    const directive = parseDirective(lines[line], line);
    if (!directive || directive.kind !== 'line') continue;
    let target = line + 1;
    while (target <= last && isBlankOrComment(lines[target])) target++;
    const comment = { rules: directive.rules, label: `# ${LINE_DIRECTIVE}`, keywordRange: directive.keywordRange, commentLine: line };
    if (target > last) { suppressions.push({ firstLine: -1, lastLine: -1, ...comment }); continue; }
    const lastLine = target === documentStart ? last : blockEnd(lines, target, last);
    suppressions.push({ firstLine: target, lastLine, ...comment });
  }
  return suppressions;
}

/**
 * What an object's metadata and configuration suppress: our annotation on the object and on its pod
 * template, the peers' annotations on the object (when honoured), and the containers of exempt images.
 */
export function objectSuppressions(object: KubeObject, pod: PodSpec | undefined, text: string, options: EngineOptions,
  toRange: (span: readonly [number, number]) => Range): Suppression[] {
  const suppressions: Suppression[] = [];
  // A block node's range runs to the start of the next line; its last line is the one before that.
  const linesOf = (node: Node) => {
    const [start, end] = node.range ?? [0, 0];
    const range = toRange([start, start + text.slice(start, end).trimEnd().length]);
    return { firstLine: range.start.line, lastLine: range.end.line };
  };
  const own = (metadata: Node | undefined, scope: Node) => {
    const pair = findPair(getMap(metadata, 'annotations', object.doc), IGNORE_ANNOTATION);
    if (!pair) return;
    suppressions.push({ ...linesOf(scope), rules: annotationRules(pair, text, toRange), label: `the ${IGNORE_ANNOTATION} annotation`, keywordRange: toRange(spanOfKey(pair)) });
  };
  own(object.metadata, object.node);
  if (pod?.metadata && pod.metadata !== object.metadata) own(pod.metadata, pod.node);
  for (const container of pod?.containers ?? []) {
    if (!container.image || !isExemptImage(container.image, options.exemptImages ?? [])) continue;
    const range = toRange([0, 0]);
    suppressions.push({ ...linesOf(container.node), rules: RULES.map(rule => ({ id: rule.meta.id, range })) });
  }
  if (options.peerAnnotations === false) return suppressions;
  for (const pair of getMap(object.metadata, 'annotations', object.doc)?.items ?? []) {
    if (!isScalar(pair.key)) continue;
    const value = isScalar(pair.value) ? String(pair.value.value) : '';
    const rules = rulesExemptedByPeerAnnotation(String(pair.key.value), value);
    const range = toRange(spanOfKey(pair));
    if (rules.length) suppressions.push({ ...linesOf(object.node), rules: rules.map(id => ({ id, range })) });
  }
  return suppressions;
}

/**
 * Is the image one of `exemptImages`? An entry names a repository (`nginx`, `ghcr.io/org/app`: any tag or
 * digest of it), or ends with `*` to match every image whose name, as written or normalised, starts with it.
 */
export function isExemptImage(image: string, exemptImages: readonly string[]): boolean {
  if (!exemptImages.length) return false;
  const repositoryOf = (reference: string) => {
    const parsed = parseImageReference(reference);
    return parsed && `${parsed.domain}/${parsed.repository}`;
  };
  const repository = repositoryOf(image);
  return exemptImages.some(entry => entry.endsWith('*')
    ? [image, repository].some(name => name?.startsWith(entry.slice(0, -1)))
    : repository !== undefined && repository === repositoryOf(entry));
}

function spanOfKey(pair: Pair): [number, number] {
  const range = (pair.key as Node).range!;
  return [range[0], range[1]];
}

/** The rule names of `kube-immutable.io/ignore: "a, b"`, each with its place in the value. */
function annotationRules(pair: Pair, text: string, toRange: (span: readonly [number, number]) => Range): NamedRule[] {
  const value = pair.value as Scalar | null;
  if (!isScalar(value) || !value.range) return [];
  const [start, end] = value.range;
  return [...text.slice(start, end).matchAll(/[^\s,"']+/g)].map(token => ({
    id: token[0], range: toRange([start + token.index!, start + token.index! + token[0].length]),
  }));
}

const KNOWN_RULES = new Set(RULES.map(rule => rule.meta.id));

function unusedFinding(range: Range, message: string, fix?: Fix): RawFinding {
  return { rule: UNUSED_SUPPRESSION_RULE, messageId: `${UNUSED_SUPPRESSION_RULE}/unused`, message, range, documentIndex: 0, unnecessary: true, ...(fix ? { fixes: [fix] } : {}) };
}

/** Removes a rule's name from a comment directive, or the whole comment line when nothing in it is used: a comment, so no change to the document. */
function removalFix(line: number | undefined, rules: readonly NamedRule[], unused: readonly NamedRule[], rule?: NamedRule): Fix | undefined {
  if (line === undefined) return undefined;
  if (!rule || unused.length === rules.length) {
    return { title: 'Remove the unused suppression comment', edits: [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }], changes: [] };
  }
  // With its separator: the one before it, or for the first name the one after it.
  const i = rules.indexOf(rule);
  const range = i > 0 ? { start: rules[i - 1].range.end, end: rule.range.end } : { start: rule.range.start, end: rules[1].range.start };
  return { title: `Remove ${rule.id} from the suppression comment`, edits: [{ range, newText: '' }], changes: [] };
}

/** Hints for the rules a suppression names without suppressing anything of theirs. */
function unusedHints(suppression: Suppression, used: ReadonlySet<string>): RawFinding[] {
  if (!suppression.label) return [];
  const { rules, commentLine } = suppression;
  if (!rules.length) {
    return [unusedFinding(suppression.keywordRange!, `${suppression.label} names no rule, so it suppresses nothing. Name the rules to ignore, e.g. "${LINE_DIRECTIVE} readonly-root-filesystem -- <reason>".`, removalFix(commentLine, rules, rules))];
  }
  const unused = rules.filter(rule => !used.has(rule.id));
  return unused.map(rule => unusedFinding(rule.range, KNOWN_RULES.has(rule.id)
    ? `${suppression.label} ignores ${rule.id}, but ${rule.id} reports nothing here: remove it so that it does not hide a future finding.`
    : `${suppression.label} names "${rule.id}", which is not a rule of kube-immutable (see --list-rules), so it suppresses nothing.`,
  removalFix(commentLine, rules, unused, rule)));
}

/** A finding is covered when its rule is named and it starts on one of the suppression's lines. */
function covers(suppression: Suppression, finding: { rule: string; range: Range }): boolean {
  const line = finding.range.start.line;
  return line >= suppression.firstLine && line <= suppression.lastLine && suppression.rules.some(rule => rule.id === finding.rule);
}

/** Drops the suppressed findings of one document, and adds a hint for each suppression that did nothing. */
export function applySuppressions(findings: RawFinding[], suppressions: readonly Suppression[]): RawFinding[] {
  if (!suppressions.length) return findings;
  const used = suppressions.map(() => new Set<string>());
  const kept = findings.filter(finding => {
    let suppressed = false;
    suppressions.forEach((suppression, i) => {
      if (!covers(suppression, finding)) return;
      used[i].add(finding.rule);
      suppressed = true;
    });
    return !suppressed;
  });
  return [...kept, ...suppressions.flatMap((suppression, i) => unusedHints(suppression, used[i]))];
}

/** Might the stream hold a `# kube-immutable-ignore-file` directive? Without one, it certainly does not. */
export function hasFileDirective(text: string): boolean {
  return text.includes(FILE_DIRECTIVE);
}

/**
 * The `# kube-immutable-ignore-file` directives of a stream, and the rules each has suppressed so far: findings are
 * handed to `suppresses` one at a time, so a host that lists only some of them still counts the others.
 */
export class FileSuppressions {
  private readonly directives: Directive[];
  private readonly used: Set<string>[];

  constructor(chunks: readonly Chunk[]) {
    this.directives = chunks.flatMap(chunk => {
      if (!chunk.text.includes(FILE_DIRECTIVE)) return [];
      return chunk.text.split('\n').flatMap((line, i) => {
        const directive = parseDirective(line, chunk.line + i);
        return directive?.kind === 'file' ? [directive] : [];
      });
    });
    this.used = this.directives.map(() => new Set<string>());
  }

  /** Those of a whole stream; `hasFileDirective` spares the cut of one that has none. */
  static of(text: string): FileSuppressions {
    return new FileSuppressions(hasFileDirective(text) ? [{ text, offset: 0, line: 0 }] : []);
  }

  get none(): boolean {
    return !this.directives.length;
  }

  /** Is a finding of `rule` suppressed? The directive that suppresses it is then used. */
  suppresses(rule: string): boolean {
    const covering = this.directives.findIndex(directive => !directive.rules.length || directive.rules.some(named => named.id === rule));
    if (covering >= 0) this.used[covering].add(rule);
    return covering >= 0;
  }

  /** Hints, with `severity`, for the directives (or the rules they name) that suppressed nothing so far. */
  unusedHints(result: AnalysisResult, severity: Severity): Finding[] {
    return this.directives.flatMap((directive, i) => unusedDirectiveHints(directive, this.used[i])
      .map((raw): Finding => ({ ...raw, severity, documentIndex: documentAt(result, raw.range.start.line) })));
  }
}

/**
 * Hints for a directive, or the rules it names, that suppressed nothing: `used` holds the rules it suppressed a
 * finding of (any rule for `-file` without names). `label` is how the hint names it (`# kube-immutable-ignore` or
 * `# kube-immutable-ignore-file` by default).
 */
export function unusedDirectiveHints(directive: Directive, used: ReadonlySet<string>, label = `# ${directive.kind === 'file' ? FILE_DIRECTIVE : LINE_DIRECTIVE}`): RawFinding[] {
  if (directive.kind === 'file' && !directive.rules.length) {
    return used.size ? [] : [unusedFinding(directive.keywordRange, `${label} suppresses nothing: nothing in this file is reported. Remove it so that it does not hide a future finding.`, removalFix(directive.line, [], []))];
  }
  return unusedHints({ firstLine: directive.line, lastLine: directive.line, rules: directive.rules, label, keywordRange: directive.keywordRange, commentLine: directive.line }, used);
}

/** Findings in file order. */
export function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/**
 * Applies `# kube-immutable-ignore-file` directives of a stream to its assembled result. Severities are
 * already applied there, so a hint for an unused directive gets the configured severity of its own rule.
 */
export function applyFileSuppressions(chunks: readonly Chunk[], result: AnalysisResult, severity: Severity | 'off'): AnalysisResult {
  const directives = new FileSuppressions(chunks);
  if (directives.none) return result;
  const findings = result.findings.filter(finding => !directives.suppresses(finding.rule));
  if (severity === 'off') return { ...result, findings };
  return { ...result, findings: [...findings, ...directives.unusedHints(result, severity)].sort(byPosition) };
}

function documentAt(result: AnalysisResult, line: number): number {
  return result.documents.find(doc => doc.range.start.line <= line && line <= doc.range.end.line)?.index ?? 0;
}
