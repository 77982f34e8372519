// The files a source reads, from the disk, or from what the caller says is newer (the editor's open documents).
// Text is decoded by its byte order mark, as every file the product lints; chart archives are gunzipped here.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SourceFileSystem } from './sources/origin';
import { readTextFileSync } from './textFiles';

export function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}

export class DiskFileSystem implements SourceFileSystem {
  constructor(private readonly newer: (path: string) => string | undefined = () => undefined) {}

  readFile(path: string): string | undefined {
    const open = this.newer(path);
    if (open !== undefined) return open;
    try { return statSync(path).isFile() ? readTextFileSync(path).text : undefined; } catch { return undefined; }
  }

  readBytes(path: string): Uint8Array | undefined {
    try { return statSync(path).isFile() ? readFileSync(path) : undefined; } catch { return undefined; }
  }

  /** A real folder's names; a symbolic link is not followed into a folder, as no walk of the product follows one. */
  readDirectory(path: string): string[] | undefined {
    if (!DiskFileSystem.prototype.isDirectory.call(this, path)) return undefined;
    try { return readdirSync(path).sort(); } catch { return undefined; }
  }

  isDirectory(path: string): boolean {
    try { return lstatSync(path).isDirectory(); } catch { return false; }
  }
}

/**
 * The disk read once per file until told that it changed: the language server rebuilds trees on every edit,
 * and the files a build reads beside the edited one are the same each time. Open documents are never cached.
 */
export class CachedDiskFileSystem extends DiskFileSystem {
  private readonly texts = new Map<string, string | undefined>();
  private readonly directories = new Map<string, string[] | undefined>();
  private readonly bytes = new Map<string, Uint8Array | undefined>();

  constructor(private readonly open: (path: string) => string | undefined) {
    super();
  }

  /** A chart reads its files as bytes: an open document's are its text's. */
  readBytes(path: string): Uint8Array | undefined {
    const open = this.open(path);
    if (open !== undefined) return new TextEncoder().encode(open);
    if (!this.bytes.has(path)) this.bytes.set(path, super.readBytes(path));
    return this.bytes.get(path);
  }

  readFile(path: string): string | undefined {
    const open = this.open(path);
    if (open !== undefined) return open;
    if (!this.texts.has(path)) this.texts.set(path, super.readFile(path));
    return this.texts.get(path);
  }

  readDirectory(path: string): string[] | undefined {
    if (!this.directories.has(path)) this.directories.set(path, super.readDirectory(path));
    return this.directories.get(path);
  }

  isDirectory(path: string): boolean {
    return this.readDirectory(path) !== undefined;
  }

  /** Reads the file, and its folder's listing, from the disk again. */
  forget(path: string): void {
    this.texts.delete(path);
    this.bytes.delete(path);
    this.directories.delete(path.slice(0, path.lastIndexOf('/')) || '/');
  }

  clear(): void {
    this.texts.clear();
    this.bytes.clear();
    this.directories.clear();
  }
}
