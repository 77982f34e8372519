// What every source (a plain file, a Kustomize tree, a Helm chart) hands the engine: rendered YAML text, and for
// each part of that text, where in the user's files it came from. The engine analyses the rendered text with its
// rules unchanged; placement and fixes then answer in the origin files. Nothing here knows about LSP or VS Code.

/** A range of a source file, as [start, end) offsets into its text (UTF-16 code units, like JavaScript strings). */
export interface SourceSpan {
  /** The file's path as the source's file reader names it (absolute, `/` separators). */
  file: string;
  start: number;
  end: number;
}

/**
 * How a part of the rendered text came to be:
 * - `literal`: copied from a file as written (a base resource's node, a patch's value, a template's text);
 * - `value`: data that flowed from a values file or a `--set` argument into a template's output;
 * - `generated`: made by the tool on behalf of a field that asked for it (a name prefix, a hash suffix, an
 *   `images:` rewrite, a namespace); the span is that field in the kustomization or template.
 */
export type OriginKind = 'literal' | 'value' | 'generated';

export interface Origin {
  kind: OriginKind;
  span: SourceSpan;
  /** For `generated`: the field that produced it (`images`, `namespace`, `namePrefix`, ...). */
  via?: string;
}

/**
 * A part of the rendered text, [start, end) in its offsets, with the origins that contributed to it, oldest first:
 * a container rendered from a base and changed by two patches has the base's node, then each patch's node.
 * Segments nest like the nodes they describe (a map's segment contains its pairs'); the innermost one that
 * contains a range is the most precise origin of that range.
 */
export interface OriginSegment {
  start: number;
  end: number;
  origins: Origin[];
}

/** One rendered YAML document, as the engine will read it, and where its parts came from. */
export interface RenderedDocument {
  text: string;
  /** Sorted by start, then by end descending (outer segments before the ones they contain). */
  segments: OriginSegment[];
  /** What produced the document, for messages and related information (e.g. `overlays/prod`, `mychart/templates/deployment.yaml`). */
  producedBy: string;
}

/** A problem of the source itself (a missing file, a cycle, a template error), reported in the file at fault. */
export interface SourceProblem {
  message: string;
  /** Where the problem sits; undefined when no file can be named (it is then reported on the source's root file). */
  span?: SourceSpan;
  /** `error` for what stops (part of) the rendering, `warning` for what is skipped (a remote URL, `helmCharts`). */
  severity: 'error' | 'warning';
}

/** Reads the files a source needs; the CLI reads the disk, the language server prefers open documents' text. */
export interface SourceFileSystem {
  /** The file's text, or undefined when it does not exist or is not a regular file. */
  readFile(path: string): string | undefined;
  /** The file's bytes (for binary data in generators and chart archives), or undefined. */
  readBytes?(path: string): Uint8Array | undefined;
  /** The names in a directory, or undefined when it is not one. */
  readDirectory(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
}

/** The innermost segment of `segments` (sorted as in RenderedDocument) that contains [start, end), if any. */
export function innermostSegment(segments: readonly OriginSegment[], start: number, end: number = start): OriginSegment | undefined {
  let found: OriginSegment | undefined;
  for (const segment of segments) {
    if (segment.start > start) break;
    if (segment.end >= end && (!found || segment.end - segment.start <= found.end - found.start)) found = segment;
  }
  return found;
}
