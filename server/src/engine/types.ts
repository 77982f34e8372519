// Shapes shared by the engine, the language server and the CLI. Nothing here knows about LSP or VS Code.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/** A position in the text, both 0-based; `character` counts UTF-16 code units like JavaScript strings and LSP. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface TextEdit { range: Range; newText: string }

/** A step into a parsed document: a map's key or a sequence's index. */
export type PathSegment = string | number;

/**
 * One change a fix makes to the parsed document it edits, at a path from the document's root: `set` gives the
 * value the path holds after the fix, `removed` says it no longer exists, `edited` that a scalar gets another value.
 */
export type FixChange =
  | { path: PathSegment[]; kind: 'set'; value: unknown }
  | { path: PathSegment[]; kind: 'removed' | 'edited' };

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** What the edits change in the document, and nothing else: checked before the fix is offered. */
  changes: FixChange[];
  /** The one fix an editor applies for "fix this" and "fix all". */
  isPreferred?: boolean;
}

export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface RelatedLocation {
  range: Range;
  message: string;
  /** A file other than the finding's, as the host named it (a path or a URI); the range is in that file. */
  file?: string;
}

export interface Finding {
  rule: string;
  /** The exact condition that failed, stable across releases: `<rule>/<condition>`, e.g. `capabilities/added`. */
  messageId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** 0-based index of the YAML document in the stream, counted like `yaml.parseAllDocuments`. */
  documentIndex: number;
  resource?: ResourceRef;
  /** Name of the container the finding is about; absent when it is not about one container. */
  container?: string;
  related?: RelatedLocation[];
  /** Set when a rule offers fixes for the finding: where `fixesOf` (fixes/onDemand.ts) finds it again to compute them. */
  fixRef?: FixRef;
  /** The fixes the analysis was asked to compute (see FixDemand), each one passed its check. */
  fixes?: Fix[];
  /**
   * With FixDemand `planned`: what the preferred fix (else the first) declares it changes, made but not checked:
   * where a source places a finding whose fix is made in another file (a chart's values.yaml). Never offered.
   */
  plannedChanges?: FixChange[];
  /** Marks a finding about something that does nothing (an editor fades it out). */
  unnecessary?: boolean;
}

/**
 * A finding's place in its stream, all a later call needs to compute its fixes: the chunk (by the line it starts
 * at), the document in the chunk, and the finding's place among the reports of that document's rules.
 */
export interface FixRef { line: number; document: number; report: number }

/**
 * Which fixes an analysis computes and checks: none (the findings carry a FixRef), only the preferred one of each
 * finding (fix-all), or all of them; `planned` checks none, and keeps only what one fix changes (plannedChanges).
 */
export type FixDemand = 'none' | 'planned' | 'preferred' | 'all';

/** A finding before severities are applied; its ranges are relative to its chunk. */
export interface RawFinding extends Omit<Finding, 'severity'> { severity?: Severity }

/** One piece of a stream cut at its `---` lines: its text, and where it starts in the stream. */
export interface Chunk { text: string; offset: number; line: number }

export interface RuleMeta {
  id: string;
  /** The severity when configuration does not name the rule; an `off` rule runs only when configured or with `--all-rules`. */
  defaultSeverity: SeveritySetting;
  description: string;
  docsUrl: string;
  /** What each message id of the rule means, by its full id (`<rule>/<condition>`). */
  messages: Record<string, string>;
}

/** Why a document produced no rule findings, when it did not. */
export type DocumentStatus = 'analysed' | 'not-kubernetes' | 'helm-template' | 'parse-error' | 'ignored-kind' | 'empty'
  /** Over a limit (see limits.ts), or the analysis failed: an `analysis-limit` finding or `errors` say why. */
  | 'not-analysed';

export interface DocumentSummary {
  index: number;
  status: DocumentStatus;
  kind?: string;
  range: Range;
}

export interface AnalysisResult {
  findings: Finding[];
  documents: DocumentSummary[];
  /** How many findings after the listed ones were found, when an analysis lists only the first (an editor's cap). */
  unlisted?: number;
  /** Exceptions caught inside the analysis (a bug): the rest of the analysis went on without the part that threw. */
  errors?: InternalError[];
}

export interface InternalError {
  /** The rule that threw, or undefined when the analysis of the whole document did. */
  rule?: string;
  documentIndex: number;
  /** Where in the text, when the error concerns one finding (a fix that was refused). */
  range?: Range;
  message: string;
  stack?: string;
}
