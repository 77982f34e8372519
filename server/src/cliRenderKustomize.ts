// `kube-immutable render <dir>` of a kustomization: prints the build as `kustomize build <dir>` does, with the
// problems of the tree on standard error.
import { resolve } from 'node:path';
import { displayPath } from './cliKustomize';
import { DiskFileSystem } from './diskFileSystem';
import { buildKustomization, findKustomizationFile, printBuild } from './sources/kustomize';
import { SourceTexts } from './sources/sourceTexts';

/** Renders the kustomization in `args[0]`; the exit status (0 built, 1 an error in the tree, 2 usage). */
export function renderKustomization(args: string[], usage: string): number {
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write(`kube-immutable render: ${args.length ? `unexpected ${args.slice(args[0].startsWith('-') ? 0 : 1).join(' ')}` : 'no directory given'}\n\n${usage}\n`);
    return 2;
  }
  const fs = new DiskFileSystem();
  const dir = resolve(args[0]);
  if (!fs.isDirectory(dir)) { process.stderr.write(`kube-immutable render: ${args[0]}: no such directory\n`); return 2; }
  if (!findKustomizationFile(dir, fs)) {
    process.stderr.write(`kube-immutable render: ${args[0]}: no kustomization.yaml, kustomization.yml or Kustomization in this directory\n`);
    return 2;
  }
  const build = buildKustomization(dir, fs);
  const sources = new SourceTexts(fs);
  for (const problem of build.problems) {
    const range = problem.span && sources.range(problem.span);
    const where = problem.span && range ? `${displayPath(problem.span.file, args[0])}:${range.start.line + 1}:${range.start.character + 1}: ` : `${args[0]}: `;
    process.stderr.write(`${where}${problem.severity}: ${problem.message}\n`);
  }
  process.stdout.write(printBuild(build));
  return build.problems.some(problem => problem.severity === 'error') ? 1 : 0;
}
