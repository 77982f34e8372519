// How the language server reaches the files of the workspace. The Node host reads the disk (nodeFileSystem.ts);
// the browser host, which has no disk, asks the client, which reads through the editor's own file systems
// (browser/clientFileSystem.ts). Paths are the host's: paths on disk in Node, the paths of URIs in the browser.
import { SourceFiles } from './sourceFiles';

/** An entry of a folder; links are reported, never followed (see files.ts). */
export interface DirectoryEntry {
  name: string;
  kind: 'file' | 'directory' | 'link' | 'other';
}

export interface WorkspaceFileSystem {
  /** The path of a document's URI, or undefined when this host cannot read it. */
  toPath(uri: string): string | undefined;
  toUri(path: string): string;
  /**
   * Gets ready to answer the synchronous questions below for these folders (by URI). The configuration of
   * a document is needed while it is typed into, so the browser host fetches the files it needs here.
   */
  prepare(folderUris: readonly string[]): Promise<void>;
  /** The entries of a folder, or undefined when it cannot be read. */
  readDirectory(path: string): Promise<DirectoryEntry[] | undefined>;
  /** The real path of a link or folder, or undefined when it has none (a dangling link) or links are unknown. */
  realPath(path: string): Promise<string | undefined>;
  /** The text of a regular file, at most `maxBytes` of it, with its whole size; undefined for anything else. */
  readRegularFile(path: string, maxBytes: number): Promise<{ text: string; size: number } | undefined>;
  /** The nearest `.kube-immutable.yaml` in `dir` or a folder above it. */
  findConfigFile(dir: string): string | undefined;
  /** The text of a config file; throws when it cannot be read or is too large. */
  readConfigText(path: string): string;
  /** A file in a Helm chart's `templates/` folder. */
  isChartTemplate(path: string): boolean;
  /** The files for the sources (Kustomize trees) to read, with `open` documents' text over them. */
  sourceFiles(open: (path: string) => string | undefined): SourceFiles;
}
