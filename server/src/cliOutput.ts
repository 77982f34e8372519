// The CLI's report, written file by file as the files are linted (in the order they were given), in each
// format: what is printed is byte for byte what printing all the reports at the end would print, but only the
// totals are kept.
import { BUILT_IN_CHECKS, InternalError, RULES } from './engine';
import { LinkNotFollowed } from './paths';
import { FileReport, ReportedFinding, STDIN } from './cliLintFile';
import { sarifLog, sarifResultsOf, SarifTool } from './sarif';
import { codeQualityIssuesOf } from './codeQuality';
import { JsonArrayWriter } from './jsonStream';
import { SOURCE_CHECKS } from './sources/sourceFindings';

export type Format = 'text' | 'json' | 'sarif' | 'codequality';

export function displayName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

/** What the end of a run needs of the reports: counts, the chart templates skipped, and what went wrong. */
export class RunTotals {
  readonly counts: Record<string, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  files = 0;
  helmDocuments = 0;
  readonly chartTemplates: string[] = [];
  readonly internalErrors: { file: string; error: InternalError }[] = [];
  readonly fixesRefused: { file: string; reason: string }[] = [];

  add(report: FileReport): void {
    this.files++;
    for (const finding of report.findings) this.counts[finding.severity]++;
    this.helmDocuments += report.helmDocuments;
    if (report.skippedAsChartTemplate) this.chartTemplates.push(report.file);
    for (const error of report.errors ?? []) this.internalErrors.push({ file: displayName(report.file), error });
    if (report.fixRefused) this.fixesRefused.push({ file: displayName(report.file), reason: report.fixRefused });
  }
}

export interface ReportWriter {
  file(report: FileReport): void;
  end(totals: RunTotals, links: readonly LinkNotFollowed[]): void;
}

const write = (text: string) => { process.stdout.write(text); };

function jsonFinding(file: string, finding: ReportedFinding) {
  const { start, end } = finding.range;
  return {
    file, rule: finding.rule, messageId: finding.messageId, severity: finding.severity, message: finding.message,
    line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
    documentIndex: finding.documentIndex,
    resource: finding.resource ?? {},
    ...(finding.container !== undefined ? { container: finding.container } : {}),
    ...(finding.locations?.length ? {
      related: finding.locations.map(l => ({ file: l.file, line: l.range.start.line + 1, column: l.range.start.character + 1, message: l.message })),
    } : {}),
  };
}

/** A report's path as SARIF and code quality want it: none for standard input. */
function pathOf(report: FileReport): { file?: string; findings: ReportedFinding[] } {
  return { file: report.file === STDIN ? undefined : report.file, findings: report.findings };
}

function textWriter(): ReportWriter {
  return {
    file(report) {
      for (const finding of report.findings) {
        const { line, character } = finding.range.start;
        write(`${displayName(report.file)}:${line + 1}:${character + 1} ${finding.severity} ${finding.message} ${finding.rule}\n`);
      }
    },
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
      write(lines.join('\n') + '\n');
    },
  };
}

function jsonWriter(): ReportWriter {
  const skeleton = (totals?: RunTotals, links?: readonly LinkNotFollowed[]) => (findings: unknown[]) =>
    ({ findings, filesLinted: totals?.files, skippedChartTemplates: totals?.chartTemplates, linksNotFollowed: links });
  const findings = new JsonArrayWriter(write, skeleton());
  return {
    file: report => report.findings.forEach(finding => findings.item(jsonFinding(displayName(report.file), finding))),
    end: (totals, links) => findings.end(skeleton(totals, links)),
  };
}

function sarifWriter(tool: SarifTool): ReportWriter {
  const cwd = process.cwd();
  const resultsOf = sarifResultsOf(tool, cwd);
  const skeleton = (results: unknown[]) => sarifLog(tool, cwd, results as never);
  const results = new JsonArrayWriter(write, skeleton);
  return {
    file: report => resultsOf(pathOf(report)).forEach(result => results.item(result)),
    end(_totals, links) {
      for (const link of links) process.stderr.write(`kube-immutable: ${link.path}: symbolic link not followed: ${link.reason}\n`);
      results.end(skeleton);
    },
  };
}

function codeQualityWriter(): ReportWriter {
  const issuesOf = codeQualityIssuesOf(process.cwd());
  const issues = new JsonArrayWriter(write, items => items);
  return {
    file: report => issuesOf(pathOf(report)).forEach(issue => issues.item(issue)),
    end: () => issues.end(items => items),
  };
}

export function reportWriter(format: Format, version: string, informationUri: string): ReportWriter {
  switch (format) {
    case 'text': return textWriter();
    case 'json': return jsonWriter();
    case 'sarif': return sarifWriter({ version, informationUri, rules: [...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS] });
    case 'codequality': return codeQualityWriter();
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
