// The workspace on disk, for the language server in Node.
import { readdir, realpath } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findConfigFile, readConfigText } from '../configFile';
import { CachedDiskFileSystem, gunzip } from '../diskFileSystem';
import { isChartTemplate, readRegularFile } from '../files';
import { DirectoryEntry, WorkspaceFileSystem } from './fileSystem';
import { SourceFiles } from './sourceFiles';

export class NodeFileSystem implements WorkspaceFileSystem {
  toPath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try { return fileURLToPath(uri); } catch { return undefined; }
  }

  toUri(path: string): string {
    return pathToFileURL(path).href;
  }

  /** Everything is read when asked. */
  async prepare(): Promise<void> {}

  async readDirectory(path: string): Promise<DirectoryEntry[] | undefined> {
    try {
      return (await readdir(path, { withFileTypes: true })).map(entry => ({
        name: entry.name,
        kind: entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other',
      }));
    } catch {
      return undefined;
    }
  }

  realPath(path: string): Promise<string | undefined> {
    return realpath(path).catch(() => undefined);
  }

  readRegularFile(path: string, maxBytes: number): Promise<{ text: string; size: number } | undefined> {
    return readRegularFile(path, maxBytes);
  }

  findConfigFile(dir: string): string | undefined {
    return findConfigFile(dir);
  }

  readConfigText(path: string): string {
    return readConfigText(path);
  }

  isChartTemplate(path: string): boolean {
    return isChartTemplate(path);
  }

  sourceFiles(open: (path: string) => string | undefined): SourceFiles {
    return new NodeSourceFiles(open);
  }
}

/** The disk, which unpacks chart archives too. */
class NodeSourceFiles extends CachedDiskFileSystem {
  readonly gunzip = gunzip;
}
