// A source's files for a host that reads asynchronously (the browser host asks the client for each file): reads
// are answered from memory, and each one that memory cannot answer is recorded; `prefetch` fetches those and
// renders again, until a render asks for nothing new. A Kustomize overlay needs a few rounds (its kustomization
// names its bases, whose kustomizations name their files); a walk for kustomizations, one per folder level.
import { decodeText } from '../engine/byteOrderMarks';
import { SourceFiles } from './sourceFiles';
import { DirectoryEntry } from './fileSystem';

export interface FileFetcher {
  /** The bytes of a regular file; undefined when there is none or it cannot be read. */
  fetchFile(path: string): Promise<Uint8Array | undefined>;
  /** The entries of a folder; undefined when it is not one or cannot be read. */
  fetchDirectory(path: string): Promise<DirectoryEntry[] | undefined>;
}

export interface PrefetchLimits {
  /** Renders that may fetch before the last one (a bound on a chain of reads, like a deep folder walk). */
  rounds: number;
  /** Files and folders one prefetch may fetch. */
  reads: number;
}

export const PREFETCH_LIMITS: PrefetchLimits = { rounds: 64, reads: 20000 };

export class PrefetchingFileSystem implements SourceFiles {
  /** Fetched files, undefined for a path that is no regular file. */
  private readonly files = new Map<string, Uint8Array | undefined>();
  /** Their texts, decoded by their byte order mark as the disk's are (diskFileSystem.ts), once each. */
  private readonly texts = new Map<string, string | undefined>();
  /** Fetched folder listings (sorted names), undefined for a path that is no folder. */
  private readonly directories = new Map<string, string[] | undefined>();
  private readonly missingFiles = new Set<string>();
  private readonly missingDirectories = new Set<string>();
  /** What has been told about (by `what` of prefetch), so that a bound met on every edit is told once. */
  private readonly told = new Set<string>();

  constructor(
    /** The text of an open document, which wins over what was fetched and is never fetched. */
    private readonly open: (path: string) => string | undefined,
    private readonly fetcher: FileFetcher,
    private readonly tell: (message: string) => void,
    private readonly limits: PrefetchLimits = PREFETCH_LIMITS,
  ) {}

  readFile(path: string): string | undefined {
    const open = this.open(path);
    if (open !== undefined) return open;
    if (!this.texts.has(path)) {
      if (!this.files.has(path)) { this.missingFiles.add(path); return undefined; }
      const bytes = this.files.get(path);
      this.texts.set(path, bytes && decodeText(bytes).text);
    }
    return this.texts.get(path);
  }

  /** The bytes as fetched (binary data of generators, chart archives); an open document's are its text's. */
  readBytes(path: string): Uint8Array | undefined {
    const open = this.open(path);
    if (open !== undefined) return new TextEncoder().encode(open);
    if (this.files.has(path)) return this.files.get(path);
    this.missingFiles.add(path);
    return undefined;
  }

  readDirectory(path: string): string[] | undefined {
    if (this.directories.has(path)) return this.directories.get(path);
    this.missingDirectories.add(path);
    return undefined;
  }

  isDirectory(path: string): boolean {
    return this.readDirectory(path) !== undefined;
  }

  forget(path: string): void {
    this.files.delete(path);
    this.texts.delete(path);
    this.directories.delete(path);
    this.directories.delete(path.slice(0, path.lastIndexOf('/')) || '/');
  }

  clear(): void {
    this.files.clear();
    this.texts.clear();
    this.directories.clear();
    this.told.clear();
  }

  async prefetch<T>(what: string, render: () => T): Promise<T> {
    let reads = 0;
    for (let round = 0; ; round++) {
      this.missingFiles.clear();
      this.missingDirectories.clear();
      const result = render();
      const files = [...this.missingFiles];
      const directories = [...this.missingDirectories];
      if (!files.length && !directories.length) return result;
      reads += files.length + directories.length;
      if (round === this.limits.rounds || reads > this.limits.reads) {
        this.tellOnce(what, `${what} needs more files than kube-immutable reads in the browser (at most ${this.limits.reads} files and folders, `
          + `in ${this.limits.rounds} rounds of reads): it is checked as if the ${files.length + directories.length} it still asked for, `
          + `such as ${[...files, ...directories][0]}, were missing.`);
        return result;
      }
      await Promise.all([
        ...files.map(async path => { this.files.set(path, await this.fetcher.fetchFile(path)); }),
        ...directories.map(async path => this.listed(path, await this.fetcher.fetchDirectory(path))),
      ]);
    }
  }

  private listed(path: string, entries: DirectoryEntry[] | undefined): void {
    this.directories.set(path, entries?.map(entry => entry.name).sort());
    // An entry that is no folder (a link included: no walk follows one) needs no listing of its own.
    for (const entry of entries ?? []) {
      const child = `${path === '/' ? '' : path}/${entry.name}`;
      if (entry.kind !== 'directory' && !this.directories.has(child)) this.directories.set(child, undefined);
    }
  }

  private tellOnce(what: string, message: string): void {
    if (this.told.has(what)) return;
    this.told.add(what);
    this.tell(message);
  }
}
