// The CLI's Kustomize trees: each top-level kustomization below a directory is built and linted, with every
// finding in the source file a user would change; the files the builds read are not linted on their own.
import { isAbsolute, relative, resolve } from 'node:path';
import { AnalyzeOptions, mergePolicies, NamespacePolicies, namespacePoliciesIn, TextEdit, withNamespacePolicies } from './engine';
import { findYamlFiles } from './files';
import { applyTextEdits } from './engine/fixes/apply';
import { AppliedFix } from './engine/fixes/fixAll';
import { writeFixed } from './cliFix';
import { sourceFixes } from './sources/fixProjection';
import { isSuggestion } from './engine/suggestions';
import { DiskFileSystem } from './diskFileSystem';
import { kustomizeTrees } from './sources/kustomizeIndex';
import { COMMENT_DIRECTIVES, findingsOfRendering, mergeShared, SourceFinding, unusedInFiles } from './sources/sourceFindings';
import { SuppressionUses } from './sources/sourceSuppressions';
import { SourceTexts } from './sources/sourceTexts';

export interface TreeFindings {
  /** Placed findings, merged where overlays share them. */
  findings: SourceFinding[];
  /** Every file the builds read (absolute): not linted on its own. */
  covered: Set<string>;
  /** The files read by the builds that were linted (whose kustomization is not excluded), not excluded themselves. */
  linted: Set<string>;
  sources: SourceTexts;
}

/** Lints the top-level kustomizations below the directories; `optionsFor` is undefined for an excluded file. */
export function lintKustomizeTrees(dirs: readonly string[], optionsFor: (file: string) => AnalyzeOptions | undefined): TreeFindings {
  const fs = new DiskFileSystem();
  const sources = new SourceTexts(fs);
  const covered = new Set<string>();
  const linted = new Set<string>();
  // The files of a tree that cannot be built may miss what their directives suppress: no unused one is reported there.
  const unsure = new Set<string>();
  const uses = new SuppressionUses();
  const findings: SourceFinding[] = [];
  for (const tree of kustomizeTrees(dirs.map(dir => resolve(dir)), fs)) {
    tree.reads.forEach(file => covered.add(file));
    const options = optionsFor(tree.rendering.rootFile);
    if (!options) continue;
    for (const file of tree.reads) if (optionsFor(file)) linted.add(file);
    if (tree.rendering.problems.some(problem => problem.severity === 'error')) tree.reads.forEach(file => unsure.add(file));
    for (const finding of findingsOfRendering(tree.rendering, sources, options, undefined, uses)) {
      if (optionsFor(finding.file) && !isSuggestion(finding, options)) findings.push(finding);
    }
  }
  findings.push(...unusedInFiles([...linted].filter(file => !unsure.has(file)), sources, uses, optionsFor, COMMENT_DIRECTIVES));
  return { findings: mergeShared(findings), covered, linted, sources };
}

/**
 * The trees' analysis options with the Pod Security labels of every Namespace in the inputs (files, and the YAML
 * files below directories, in a tree or not): a workload that a kustomization's `namespace:` puts in a labelled
 * Namespace is checked against that Namespace's level. Read once, on first use.
 */
export function withInputNamespaces(inputs: readonly string[], optionsFor: (file: string) => AnalyzeOptions | undefined): (file: string) => AnalyzeOptions | undefined {
  let policies: NamespacePolicies | undefined;
  return file => {
    const options = optionsFor(file);
    if (!options) return undefined;
    if (!policies) {
      const fs = new DiskFileSystem();
      const files = inputs.flatMap(input => (fs.isDirectory(input) ? findYamlFiles(input).files : [input]));
      policies = mergePolicies(files.map(path => {
        const text = fs.readFile(resolve(path));
        return text === undefined ? {} : namespacePoliciesIn(text, resolve(path));
      }));
    }
    return withNamespacePolicies(options, policies);
  };
}

/** How the CLI names a file of a tree: relative to the working directory when the input was given so. */
export function displayPath(file: string, input: string): string {
  return isAbsolute(input) ? file : relative(process.cwd(), file) || '.';
}

/**
 * `--fix` on Kustomize trees: the preferred fix of every finding, made in the source files it edits (a patch, a
 * base, a kustomization), each file written once; a fix that would create a file, or whose edits meet another
 * fix's, is left for the report that follows.
 */
export function fixKustomizeTrees(dirs: readonly string[], optionsFor: (file: string) => AnalyzeOptions | undefined, displayName: (file: string) => string): void {
  const { findings, sources } = lintKustomizeTrees(dirs, optionsFor);
  const edits = new Map<string, TextEdit[]>();
  const applied = new Map<string, AppliedFix[]>();
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = sourceFixes(finding, sources).find(f => f.isPreferred);
    if (!fix || fix.creates.length) continue;
    const key = JSON.stringify(fix.changes);
    const done: AppliedFix = { rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) };
    if (seen.has(key)) { applied.get(fix.changes[0].file)?.push(done); continue; }
    const candidate = fix.changes.map(change => ({ file: change.file, edits: [...(edits.get(change.file) ?? []), ...change.edits] }));
    if (!candidate.every(({ file, edits: all }) => { try { applyTextEdits(sources.get(file)!.text, all); return true; } catch { return false; } })) continue;
    seen.add(key);
    for (const { file, edits: all } of candidate) edits.set(file, all);
    const file = fix.changes[0].file;
    applied.set(file, [...(applied.get(file) ?? []), done]);
  }
  for (const [file, fileEdits] of edits) {
    writeFixed(displayName(file), applyTextEdits(sources.get(file)!.text, fileEdits), applied.get(file) ?? []);
  }
}
