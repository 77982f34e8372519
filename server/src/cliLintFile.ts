// One file of a CLI run, linted on its own: what the main thread does with `--jobs 1` and what each worker
// thread does otherwise (cliWorker.ts). Everything here is plain data, so a report crosses threads as it is.
import { statSync } from 'node:fs';
import { analyzeText, AnalyzeOptions, InternalError, NamespacePolicies, namespacePoliciesIn } from './engine';
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
 * A file to lint: `text` is its text as the first pass read it (always for standard input, which can be read only
 * once), or undefined for a file to read where it is linted; a chart template is not read at all. `withFixes`: the
 * findings carry their fixes (SARIF lists them); other formats leave them uncomputed. `bytes`: the length of its
 * text (0 for a chart template), by which the files are shared out among threads.
 */
export interface LintTask { file: string; options: AnalyzeOptions; fix: boolean; withFixes: boolean; chartTemplate: boolean; bytes: number; text?: DecodedText }

/** What the first pass learns of a file: its text and the Namespaces it defines, or its size when --max-file-size skips it. */
export type FirstPass = { decoded: DecodedText; policies: NamespacePolicies } | { tooLarge: number };

/** A file that cannot be read: the run stops with the file system's message. */
export class IoError extends Error {}

export function readInput(file: string): DecodedText {
  try { return readTextFileSync(file === STDIN ? 0 : file); }
  catch (error) { throw new IoError(`${file}: ${(error as Error).message}`); }
}

/**
 * The first pass over a file (see gatherTasks in cli.ts): a file larger than `maxFileSize` is not read at all;
 * standard input, only once it has been.
 */
export function firstPass(file: string, maxFileSize: number | undefined): FirstPass {
  if (maxFileSize !== undefined && file !== STDIN) {
    let size;
    try { size = statSync(file).size; } catch (error) { throw new IoError(`${file}: ${(error as Error).message}`); }
    if (size > maxFileSize) return { tooLarge: size };
  }
  const decoded = readInput(file);
  if (maxFileSize !== undefined && file === STDIN && Buffer.byteLength(decoded.text) > maxFileSize) return { tooLarge: Buffer.byteLength(decoded.text) };
  // Standard input has no file a related location could point at.
  return { decoded, policies: namespacePoliciesIn(decoded.text, file === STDIN ? undefined : file) };
}

export function lintFile({ file, options, fix, withFixes, chartTemplate, text: firstRead }: LintTask): FileReport {
  if (chartTemplate) return { file, findings: [], helmDocuments: 0, skippedAsChartTemplate: true };
  const decoded = firstRead ?? readInput(file);
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
