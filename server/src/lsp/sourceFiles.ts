// The files the language server's sources (Kustomize trees, Helm charts) read. A render reads synchronously, so
// each host serves those reads its own way: Node reads the disk when asked (diskFileSystem.ts); the browser host,
// which can only ask the client and wait, renders against what it holds, fetches what the render asked for and
// did not find, and renders again (prefetchingFileSystem.ts).
import { SourceFileSystem } from '../sources/origin';

export interface SourceFiles extends SourceFileSystem {
  /** Reads the file, and its folder's listing, again on the next render (it changed, or was created or deleted). */
  forget(path: string): void;
  /** Reads everything again. */
  clear(): void;
  /**
   * Only where a read cannot be answered at once: runs `render` until it reads nothing that was not at hand, and
   * resolves with its last result. `what` names what is rendered, for the message when a bound stops the reads.
   * Where absent, `render` is simply called.
   */
  prefetch?<T>(what: string, render: () => T): Promise<T>;
}
