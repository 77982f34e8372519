// The CLI's Kustomize trees: each top-level kustomization below a directory is built and linted, with every
// finding in the source file a user would change; the files the builds read are not linted on their own.
import { isAbsolute, relative, resolve } from 'node:path';
import { AnalyzeOptions } from './engine';
import { isSuggestion } from './engine/suggestions';
import { DiskFileSystem } from './diskFileSystem';
import { kustomizeTrees } from './sources/kustomizeIndex';
import { findingsOfRendering, mergeShared, SourceFinding } from './sources/sourceFindings';
import { SourceTexts } from './sources/sourceTexts';

export interface TreeFindings {
  /** Placed findings, merged where overlays share them. */
  findings: SourceFinding[];
  /** Every file the builds read (absolute): not linted on its own. */
  covered: Set<string>;
  sources: SourceTexts;
}

/** Lints the top-level kustomizations below the directories; `optionsFor` is undefined for an excluded file. */
export function lintKustomizeTrees(dirs: readonly string[], optionsFor: (file: string) => AnalyzeOptions | undefined): TreeFindings {
  const fs = new DiskFileSystem();
  const sources = new SourceTexts(fs);
  const covered = new Set<string>();
  const findings: SourceFinding[] = [];
  for (const tree of kustomizeTrees(dirs.map(dir => resolve(dir)), fs)) {
    tree.reads.forEach(file => covered.add(file));
    const options = optionsFor(tree.rendering.rootFile);
    if (!options) continue;
    for (const finding of findingsOfRendering(tree.rendering, sources, options)) {
      if (optionsFor(finding.file) && !isSuggestion(finding, options)) findings.push(finding);
    }
  }
  return { findings: mergeShared(findings), covered, sources };
}

/** How the CLI names a file of a tree: relative to the working directory when the input was given so. */
export function displayPath(file: string, input: string): string {
  return isAbsolute(input) ? file : relative(process.cwd(), file) || '.';
}
