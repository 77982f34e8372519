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
import { compatibleFixes } from './sources/compose/fixAll';

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

/** Passes of --fix: each makes the fixes that go together, and the next reads the projects again. */
const MAX_FIX_PASSES = 10;

/**
 * `--fix` on Compose projects: the preferred fix of every finding, made in the files it edits, in passes until
 * none is left that goes with the others; each changed file is written once, at the end.
 */
export function fixComposeProjects(chains: readonly string[][], optionsFor: (file: string) => AnalyzeOptions | undefined, displayName: (file: string) => string): void {
  const fixed = new Map<string, string>();
  const applied = new Map<string, AppliedFix[]>();
  const fs = new DiskFileSystem(path => fixed.get(path));
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const { findings, texts } = lintComposeProjects(chains, optionsFor, fs);
    const { chosen, shared } = compatibleFixes(findings);
    if (!chosen.length) break;
    const edits = new Map<string, TextEdit[]>();
    for (const { fix } of chosen) for (const change of fix.changes) edits.set(change.file, [...(edits.get(change.file) ?? []), ...change.edits]);
    for (const [file, fileEdits] of edits) fixed.set(file, applyTextEdits(texts.get(file)!, fileEdits));
    for (const { finding, fix } of [...chosen, ...shared]) {
      const file = fix.changes[0].file;
      applied.set(file, [...(applied.get(file) ?? []), { rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) }]);
    }
  }
  for (const [file, text] of fixed) writeFixed(displayName(file), text, applied.get(file) ?? []);
}
