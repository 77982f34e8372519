// The files a source reads, from the disk, or from what the caller says is newer (the editor's open documents).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceFileSystem } from './sources/origin';

export class DiskFileSystem implements SourceFileSystem {
  constructor(private readonly newer: (path: string) => string | undefined = () => undefined) {}

  readFile(path: string): string | undefined {
    const open = this.newer(path);
    if (open !== undefined) return open;
    try { return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined; } catch { return undefined; }
  }

  readBytes(path: string): Uint8Array | undefined {
    try { return statSync(path).isFile() ? readFileSync(path) : undefined; } catch { return undefined; }
  }

  readDirectory(path: string): string[] | undefined {
    try { return readdirSync(path).sort(); } catch { return undefined; }
  }

  isDirectory(path: string): boolean {
    try { return statSync(path).isDirectory(); } catch { return false; }
  }
}
