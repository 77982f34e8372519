// The CLI's Compose projects: a folder's `compose.yaml` with its override file (or the chain the configuration
// names for the folder) is linted as one project, with each finding in the file a user would change; the files a
// project reads are not linted on their own.
import { dirname, resolve } from 'node:path';
import { AnalyzeOptions, TextEdit } from './engine';
import { applyTextEdits } from './engine/fixes/apply';
import { AppliedFix } from './engine/fixes/fixAll';
import { isSuggestion } from './engine/suggestions';
import { writeFixed } from './cliFix';
import { DiskFileSystem } from './diskFileSystem';
import { defaultChain, isDefaultComposeFile } from './sources/compose/chains';
import { analyzeComposeProject, ComposeFinding, ProjectFindings } from './sources/compose/findings';
import { loadComposeProject } from './sources/compose/project';
import { SourceFileSystem } from './sources/origin';

export interface ComposeProjects {
  findings: ComposeFinding[];
  errors: ProjectFindings['errors'];
  /** Every file the projects read (absolute): not linted on its own. */
  covered: Set<string>;
  /** The text of each file, as the findings and fixes were made on it. */
  texts: Map<string, string>;
}

/**
 * The chains of the projects of the files to lint: a folder's configured chain when one of the files is in it,
 * else its default chain when one of the files is a default Compose file.
 */
export function composeChains(files: readonly string[], configuredChain: (dir: string) => string[] | undefined, fs: SourceFileSystem): string[][] {
  const chains = new Map<string, string[]>();
  for (const file of files.map(f => resolve(f))) {
    const dir = dirname(file);
    if (chains.has(dir)) continue;
    const configured = configuredChain(dir);
    const chain = configured ?? (isDefaultComposeFile(file) ? defaultChain(dir, fs) : undefined);
    if (chain) chains.set(dir, chain);
  }
  return [...chains.values()];
}

/** Lints the projects; `optionsFor` is undefined for an excluded file (an excluded base file leaves its project out). */
export function lintComposeProjects(chains: readonly string[][], optionsFor: (file: string) => AnalyzeOptions | undefined, fs: SourceFileSystem = new DiskFileSystem()): ComposeProjects {
  const result: ComposeProjects = { findings: [], errors: [], covered: new Set(), texts: new Map() };
  for (const chain of chains) {
    const options = optionsFor(chain[0]);
    if (!options) continue;
    const project = loadComposeProject(chain, fs);
    for (const path of project.reads) result.covered.add(path);
    for (const [path, text] of project.texts) result.texts.set(path, text);
    const { findings, errors } = analyzeComposeProject(project, options);
    result.findings.push(...findings.filter(finding => optionsFor(finding.file) && !isSuggestion(finding, options)));
    result.errors.push(...errors);
  }
  return result;
}

/**
 * `--fix` on Compose projects: the preferred fix of every finding, made in the files it edits, each file written
 * once; a fix whose edits meet another fix's is left for the report that follows.
 */
export function fixComposeProjects(chains: readonly string[][], optionsFor: (file: string) => AnalyzeOptions | undefined, displayName: (file: string) => string): void {
  const { findings, texts } = lintComposeProjects(chains, optionsFor);
  const edits = new Map<string, TextEdit[]>();
  const applied = new Map<string, AppliedFix[]>();
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes?.find(f => f.isPreferred);
    if (!fix) continue;
    const key = JSON.stringify(fix.changes);
    const done: AppliedFix = { rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) };
    if (seen.has(key)) { applied.get(fix.changes[0].file)?.push(done); continue; }
    const candidate = fix.changes.map(change => ({ file: change.file, edits: [...(edits.get(change.file) ?? []), ...change.edits] }));
    if (!candidate.every(({ file, edits: all }) => { try { applyTextEdits(texts.get(file)!, all); return true; } catch { return false; } })) continue;
    seen.add(key);
    for (const { file, edits: all } of candidate) edits.set(file, all);
    const file = fix.changes[0].file;
    applied.set(file, [...(applied.get(file) ?? []), done]);
  }
  for (const [file, fileEdits] of edits) writeFixed(displayName(file), applyTextEdits(texts.get(file)!, fileEdits), applied.get(file) ?? []);
}
