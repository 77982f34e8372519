// The Kustomize source: a kustomization directory -> the objects `kustomize build` would print, each with the
// origins of its nodes, and the problems of the tree in the files at fault. Pure: it reads only through the
// SourceFileSystem it is given, never the disk, the network or a `kustomize` binary.
import { RenderedDocument, SourceFileSystem, SourceProblem } from '../origin';
import { KUSTOMIZATION_FILE_NAMES, KustomizeBuilder } from './build';
import { sortLegacy } from './order';
import { printObject } from './print';
import { get, getString, KMap, KNode } from './tree';

export { findKustomizationFile, KUSTOMIZATION_FILE_NAMES } from './build';

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

export function isKustomizationFile(name: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(name.slice(name.lastIndexOf('/') + 1));
}

/**
 * Builds the kustomization in `dir` (an absolute path with `/` separators). `reorder` is `kustomize build
 * --reorder`: `legacy` (the CLI's default) sorts by kind, `none` keeps the order resources were read in; a
 * `sortOptions` field of the root kustomization wins over both, as in Kustomize.
 */
export function buildKustomization(dir: string, fs: SourceFileSystem, options: { reorder?: 'legacy' | 'none' } = {}): KustomizeBuild {
  const result = new KustomizeBuilder(fs).build(dir);
  const order = sortOrder(result.sortOptions) ?? { kind: options.reorder ?? 'legacy' };
  let resources = result.resources;
  if (order.kind === 'legacy') resources = sortLegacy(resources, order.first, order.last);
  const producedBy = result.kustomizations[0] ?? dir;
  for (const resource of resources) {
    dropEmptyAnnotations(resource.object);
    annotationsAsStrings(resource.object);
  }
  const documents = resources.map((resource) => ({ ...printObject(resource.object), producedBy }));
  return { documents, problems: result.problems, filesRead: result.filesRead, kustomizations: result.kustomizations };
}

/** Kustomize writes no `metadata.annotations` that is empty or null (kyaml clears it when it strips its own). */
function dropEmptyAnnotations(object: KMap): void {
  const metadata = get(object, 'metadata');
  const annotations = get(metadata, 'annotations');
  if (metadata?.kind !== 'map' || !annotations) return;
  if ((annotations.kind === 'scalar' && annotations.value === null) || (annotations.kind === 'map' && annotations.entries.length === 0)) {
    metadata.entries = metadata.entries.filter((entry) => entry.key !== 'annotations');
  }
}

/** Kustomize writes annotation values as strings (`happy: true` as `happy: "true"`); labels it leaves as written. */
function annotationsAsStrings(object: KMap): void {
  const map = get(get(object, 'metadata'), 'annotations');
  if (map?.kind !== 'map') return;
  for (const entry of map.entries) {
    const value = entry.value;
    if (value.kind === 'scalar' && value.plain && value.value !== null) entry.value = { ...value, plain: false, value: value.raw };
  }
}

function sortOrder(sortOptions: KNode | undefined): { kind: 'legacy' | 'none'; first?: string[]; last?: string[] } | undefined {
  const order = getString(sortOptions, 'order');
  if (order === 'fifo') return { kind: 'none' };
  if (order !== 'legacy') return undefined;
  const legacy = get(sortOptions, 'legacySortOptions');
  const list = (key: string) => {
    const node = get(legacy, key);
    return node?.kind === 'seq' ? node.items.map((item) => (item.kind === 'scalar' ? String(item.value) : '')) : undefined;
  };
  return { kind: 'legacy', first: list('orderFirst'), last: list('orderLast') };
}

/** The build's output exactly as `kustomize build` prints it: each object ends with a newline, `---` between them. */
export function printBuild(build: KustomizeBuild): string {
  return build.documents.map((document) => document.text).join('---\n');
}
