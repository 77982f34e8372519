// One file of a CLI run, linted on its own: what the main thread does with `--jobs 1` and what each worker
// thread does otherwise (cliWorker.ts). Everything here is plain data, so a report crosses threads as it is.
import { analyzeText, AnalyzeOptions, InternalError } from './engine';
import { DecodedText } from './engine/byteOrderMarks';
import { isSuggestion } from './engine/suggestions';
import { SarifFinding } from './sarif';
import { SourceLocation } from './sources/placement';
import { fixFile } from './cliFix';
import { readTextFileSync } from './textFiles';

export const STDIN = '-';

/** A finding of a Kustomize tree also names places in other files (the overlays that render it), and its fixes edit files. */
export type ReportedFinding = SarifFinding & { locations?: SourceLocation[] };

export interface FileReport {
  file: string; findings: ReportedFinding[]; helmDocuments: number; skippedAsChartTemplate: boolean; errors?: InternalError[];
  /** Why --fix left the file as it was: its fixes failed their check (a bug). */
  fixRefused?: string;
  /** What --fix wrote on standard error for this file, printed when the file's turn in the output comes. */
  fixLog?: string;
}

/**
 * A file to lint: read where it is linted, except standard input, which can be read only once and so comes as
 * its text; a chart template is not read at all. `withFixes`: the findings carry their fixes (SARIF lists them);
 * other formats leave them uncomputed. `bytes`: the length of its text (0 for a chart template), by which the
 * files are shared out among threads.
 */
export interface LintTask { file: string; options: AnalyzeOptions; fix: boolean; withFixes: boolean; chartTemplate: boolean; bytes: number; stdin?: DecodedText }

/** A file that cannot be read: the run stops with the file system's message. */
export class IoError extends Error {}

export function readInput(file: string): DecodedText {
  try { return readTextFileSync(file === STDIN ? 0 : file); }
  catch (error) { throw new IoError(`${file}: ${(error as Error).message}`); }
}

export function lintFile({ file, options, fix, withFixes, chartTemplate, stdin }: LintTask): FileReport {
  if (chartTemplate) return { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: true };
  const decoded = stdin ?? readInput(file);
  let fixLog = '';
  const fixed = fix ? fixFile(file, decoded, options, finding => !isSuggestion(finding, options), text => { fixLog += text; }) : undefined;
  const text = fixed ? fixed.text : decoded.text;
  const result = analyzeText(text, options, withFixes ? 'all' : 'none');
  return {
    file, findings: result.findings.filter(finding => !isSuggestion(finding, options)), skippedAsChartTemplate: false,
    helmDocuments: result.documents.filter(doc => doc.status === 'helm-template').length,
    ...(result.errors ? { errors: result.errors } : {}),
    ...(fixed?.refused ? { fixRefused: fixed.refused } : {}),
    ...(fixLog ? { fixLog } : {}),
  };
}
