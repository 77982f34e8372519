// The files the language server's sources (Kustomize trees, Helm charts) read. A render reads synchronously, so
// each host serves those reads its own way: Node reads the disk when asked (diskFileSystem.ts); the browser host,
// which can only ask the client and wait, renders against what it holds, fetches what the render asked for and
// did not find, and renders again (prefetchingFileSystem.ts).
import { Gunzip } from '../sources/helm/archive';
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
  /** Unpacks chart archives (.tgz); absent where the host has no gunzip (the browser), and packed charts are refused. */
  readonly gunzip?: Gunzip;
}

/**
 * Renders of a source's files and what is done with each result, in the order asked: at once where reads are
 * answered when asked (Node); where files are fetched (the browser), each after the one before, once the files
 * it reads are at hand.
 */
export class RenderQueue {
  /** The last render asked for, where renders wait for their files. */
  private last?: Promise<void>;

  constructor(private readonly fs: Pick<SourceFiles, 'prefetch'>, private readonly tell: (message: string) => void) {
    if (fs.prefetch) this.last = Promise.resolve();
  }

  /** Resolves once `apply` has taken the result of `render`; `what` names what is rendered, in messages. */
  run<T>(what: string, render: () => T, apply: (result: T) => void): Promise<void> {
    if (!this.last) { apply(render()); return Promise.resolve(); }
    const prefetch = this.fs.prefetch!.bind(this.fs);
    this.last = this.last
      .then(() => prefetch(what, render))
      .then(apply)
      .catch(error => this.tell(`${what} could not be read: ${(error as Error).stack ?? error}`));
    return this.last;
  }

  /** Runs `then` once every render asked for so far is applied: at once where renders do not wait. */
  after<T>(then: () => T): T | Promise<T> {
    return this.last ? this.last.then(then) : then();
  }
}
