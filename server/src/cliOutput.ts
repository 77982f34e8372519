// The CLI's report, written file by file as the files are linted (in the order they were given), in each
// format: what is printed is byte for byte what printing all the reports at the end would print, but only the
// totals are kept. A file's text is made where it was linted (a worker thread, see cliPool.ts), so that the
// main thread only writes it.
import { BUILT_IN_CHECKS, InternalError, RULES, Severity } from './engine';
import { LinkNotFollowed } from './paths';
import { FileReport, ReportedFinding, STDIN } from './cliLintFile';
import { sarifLog, sarifResultOf, SarifTool } from './sarif';
import { codeQualityIssueOf } from './codeQuality';
import { itemIndent, JsonArrayWriter, jsonItems } from './jsonStream';
import { SOURCE_CHECKS } from './sources/sourceFindings';

export type Format = 'text' | 'json' | 'sarif' | 'codequality';

export function displayName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

/** What the end of a run needs of a file's report: its counts, whether it was skipped, and what went wrong. */
export interface ReportSummary {
  file: string; severities: Record<Severity, number>; helmDocuments: number; skippedAsChartTemplate: boolean;
  errors?: InternalError[]; fixRefused?: string;
  /** What --fix wrote on standard error for this file, printed when the file's turn in the output comes. */
  fixLog?: string;
}

/**
 * A file's report ready to be written: its summary and its text, or, for a format whose text only the main
 * thread can make (see ReportFormat.inOrder), the report itself. A text crosses threads far faster than findings.
 */
export interface PreparedReport { summary: ReportSummary; text?: string[]; report?: FileReport }

export function summaryOf(report: FileReport): ReportSummary {
  const severities: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const finding of report.findings) severities[finding.severity]++;
  return {
    file: report.file, severities, helmDocuments: report.helmDocuments, skippedAsChartTemplate: report.skippedAsChartTemplate,
    ...(report.errors ? { errors: report.errors } : {}),
    ...(report.fixRefused ? { fixRefused: report.fixRefused } : {}),
    ...(report.fixLog ? { fixLog: report.fixLog } : {}),
  };
}

/** A report's summary and text, made where the report was (a worker thread or the main one). */
export function prepareReport(report: FileReport, format: ReportFormat): PreparedReport {
  const summary = summaryOf(report);
  return format.inOrder ? { summary, report } : { summary, text: format.text(report) };
}

/** What the end of a run needs of the reports: counts, the chart templates skipped, and what went wrong. */
export class RunTotals {
  readonly counts: Record<string, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  files = 0;
  helmDocuments = 0;
  readonly chartTemplates: string[] = [];
  readonly internalErrors: { file: string; error: InternalError }[] = [];
  readonly fixesRefused: { file: string; reason: string }[] = [];

  add(summary: ReportSummary): void {
    this.files++;
    for (const severity of SEVERITIES) this.counts[severity] += summary.severities[severity];
    this.helmDocuments += summary.helmDocuments;
    if (summary.skippedAsChartTemplate) this.chartTemplates.push(summary.file);
    for (const error of summary.errors ?? []) this.internalErrors.push({ file: displayName(summary.file), error });
    if (summary.fixRefused) this.fixesRefused.push({ file: displayName(summary.file), reason: summary.fixRefused });
  }
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** How a format prints: the text of each file's report, and the output around those texts. */
export interface ReportFormat {
  /**
   * The text of a report depends on the reports before it (code quality numbers identical findings of a path
   * across the run, and a file given twice is reported twice): it is made in order, on the main thread.
   */
  readonly inOrder: boolean;
  /** A report's text, in pieces written one after the other (see jsonItems). */
  text(report: FileReport): string[];
  /** Starts writing the output on standard output. */
  writer(): ReportWriter;
}

export interface ReportWriter {
  /** Writes a file's text (see ReportFormat.text). */
  file(text: readonly string[]): void;
  /** Writes what is held back, before something goes to standard error. */
  flush(): void;
  end(totals: RunTotals, links: readonly LinkNotFollowed[]): void;
}

/**
 * Standard output, written in pieces of about this size: one write per finding or per small file costs more
 * than making its text.
 */
const WRITE_SIZE = 1 << 16;

class BufferedStdout {
  private pending: string[] = [];
  private size = 0;

  readonly write = (text: string): void => {
    if (text.length >= WRITE_SIZE) {
      // Written as it is: joined with what is held back, a file's megabytes of output would be copied once more.
      this.flush();
      process.stdout.write(text);
      return;
    }
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= WRITE_SIZE) this.flush();
  };

  flush(): void {
    if (!this.size) return;
    process.stdout.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}

/**
 * A finding as JSON prints it. The optional keys are set afterwards: spreading an object for each cost more than
 * making the rest of the item.
 */
function jsonFinding(file: string, finding: ReportedFinding) {
  const { start, end } = finding.range;
  const item: Record<string, unknown> = {
    file, rule: finding.rule, messageId: finding.messageId, severity: finding.severity, message: finding.message,
    line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
    documentIndex: finding.documentIndex,
    resource: finding.resource ?? {},
  };
  if (finding.container !== undefined) item.container = finding.container;
  if (finding.locations?.length) {
    item.related = finding.locations.map(l => ({ file: l.file, line: l.range.start.line + 1, column: l.range.start.character + 1, message: l.message }));
  }
  return item;
}

/** A report's path as SARIF and code quality want it: none for standard input. */
function pathOf(report: FileReport): string | undefined {
  return report.file === STDIN ? undefined : report.file;
}

/**
 * A format whose output is one JSON value with an array of items: an item for each finding of each report, made by
 * `itemOf`, and the value around them, which `skeleton` builds (see jsonStream.ts); `end` runs before the value is
 * closed.
 */
function arrayFormat(
  inOrder: boolean, itemOf: (report: FileReport) => (finding: ReportedFinding) => unknown, skeleton: (totals?: RunTotals, links?: readonly LinkNotFollowed[]) => (items: unknown[]) => unknown,
  end?: (links: readonly LinkNotFollowed[]) => void,
): ReportFormat {
  const indent = itemIndent(skeleton());
  return {
    inOrder,
    text: report => jsonItems(report.findings, indent, itemOf(report)),
    writer() {
      const out = new BufferedStdout();
      const items = new JsonArrayWriter(out.write, skeleton());
      return {
        file: text => items.items(text),
        flush: () => out.flush(),
        end(totals, links) {
          out.flush();
          end?.(links);
          items.end(skeleton(totals, links));
          out.flush();
        },
      };
    },
  };
}

/** The lines of a text report's piece: as many as JSON's (see jsonItems). */
const LINES_PER_PIECE = 1000;

function textFormat(): ReportFormat {
  return {
    inOrder: false,
    text(report) {
      const file = displayName(report.file);
      const pieces: string[] = [];
      let text = '';
      for (const [i, finding] of report.findings.entries()) {
        const { line, character } = finding.range.start;
        text += `${file}:${line + 1}:${character + 1} ${finding.severity} ${finding.message} ${finding.rule}\n`;
        if (i % LINES_PER_PIECE === LINES_PER_PIECE - 1) {
          pieces.push(text);
          text = '';
        }
      }
      if (text) pieces.push(text);
      return pieces;
    },
    writer() {
      const out = new BufferedStdout();
      return {
        file: pieces => pieces.forEach(out.write),
        flush: () => out.flush(),
        end({ counts, files, chartTemplates, helmDocuments }, links) {
          const lines: string[] = [];
          const total = counts.error + counts.warning + counts.info + counts.hint;
          for (const link of links) lines.push(`${link.path}: symbolic link not followed: ${link.reason}`);
          const notFollowed = links.length ? `; ${links.length} symbolic link${links.length === 1 ? '' : 's'} not followed` : '';
          lines.push('', (total
            ? `${total} problem${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint) in ${files} file${files === 1 ? '' : 's'}`
            : `No problems in ${files} file${files === 1 ? '' : 's'}`) + notFollowed);
          const chartFiles = chartTemplates.length;
          if (chartFiles || helmDocuments) {
            lines.push(`Skipped ${chartFiles} Helm chart template file${chartFiles === 1 ? '' : 's'} and ${helmDocuments} document${helmDocuments === 1 ? '' : 's'} with template actions; `
              + 'lint a rendered chart with: helm template . | kube-immutable -');
          }
          out.write(lines.join('\n') + '\n');
          out.flush();
        },
      };
    },
  };
}

function jsonFormat(): ReportFormat {
  return arrayFormat(false, report => {
    const file = displayName(report.file);
    return finding => jsonFinding(file, finding);
  },
    (totals, links) => findings => ({ findings, filesLinted: totals?.files, skippedChartTemplates: totals?.chartTemplates, linksNotFollowed: links }));
}

function sarifFormat(tool: SarifTool): ReportFormat {
  const cwd = process.cwd();
  const resultOf = sarifResultOf(tool, cwd);
  return arrayFormat(false, report => resultOf(pathOf(report)), () => results => sarifLog(tool, cwd, results as never), links => {
    for (const link of links) process.stderr.write(`kube-immutable: ${link.path}: symbolic link not followed: ${link.reason}\n`);
  });
}

function codeQualityFormat(): ReportFormat {
  const issueOf = codeQualityIssueOf(process.cwd());
  return arrayFormat(true, report => issueOf(pathOf(report)), () => items => items);
}

/** How `format` prints; the same in every thread of a run. */
export function reportFormat(format: Format, version: string, informationUri: string): ReportFormat {
  switch (format) {
    case 'text': return textFormat();
    case 'json': return jsonFormat();
    case 'sarif': return sarifFormat({ version, informationUri, rules: [...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS] });
    case 'codequality': return codeQualityFormat();
  }
}

/** Exceptions the engine caught: the other findings were printed, but the run is not trusted to pass. */
export function reportInternalErrors(totals: RunTotals): boolean {
  for (const { file, error } of totals.internalErrors) {
    const where = error.range ? `${file}:${error.range.start.line + 1}:${error.range.start.character + 1}: rule ${error.rule}:` : `${file}: document ${error.documentIndex + 1}: ${error.rule ? `rule ${error.rule}` : 'the analysis'} failed:`;
    process.stderr.write(`kube-immutable: internal error: ${where} ${error.message}\n`);
  }
  for (const { file, reason } of totals.fixesRefused) process.stderr.write(`kube-immutable: internal error: ${file}: not fixed, left as it was: ${reason}\n`);
  return totals.internalErrors.length + totals.fixesRefused.length > 0;
}
