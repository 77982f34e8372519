// The Kustomize source: a kustomization directory -> the objects `kustomize build` would print, each with the
// origins of its nodes, and the problems of the tree in the files at fault. Pure: it reads only through the
// SourceFileSystem it is given, never the disk, the network or a `kustomize` binary.
import { RenderedDocument, SourceFileSystem, SourceProblem } from '../origin';

export interface KustomizeBuild {
  /** Rendered objects in `kustomize build` output order, one RenderedDocument per object (its YAML text and origin segments). */
  documents: RenderedDocument[];
  /** Problems of the tree (missing file, cycle, patch without a target, malformed JSON 6902, remote URL, helmCharts, ...), each in the file and span at fault. */
  problems: SourceProblem[];
  /** Every file the build read (absolute paths): kustomization files, resources, patches, generator inputs. */
  filesRead: string[];
  /** The kustomization directories the build went through, the root first. */
  kustomizations: string[];
}

/** The names Kustomize accepts for a kustomization file, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return KUSTOMIZATION_FILE_NAMES.includes(base);
}

export function findKustomizationFile(dir: string, fs: SourceFileSystem): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const path = `${dir.replace(/\/+$/, '')}/${name}`;
    if (fs.readFile(path) !== undefined) return path;
  }
  return undefined;
}

export function buildKustomization(dir: string, fs: SourceFileSystem, options: { reorder?: 'legacy' | 'none' } = {}): KustomizeBuild {
  void options;
  const file = findKustomizationFile(dir, fs);
  if (!file) return { documents: [], problems: [{ message: `No kustomization.yaml, kustomization.yml or Kustomization in ${dir}`, severity: 'error' }], filesRead: [], kustomizations: [dir] };
  return { documents: [], problems: [{ message: 'Kustomize rendering is not implemented yet', severity: 'error', span: { file, start: 0, end: 0 } }], filesRead: [file], kustomizations: [dir] };
}

/** The build's output exactly as `kustomize build` prints it. */
export function printBuild(build: KustomizeBuild): string {
  return build.documents.map((document) => document.text).join('---\n');
}
