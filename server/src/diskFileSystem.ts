// The source layer's file reader for the CLI: the disk, regular files only, text decoded by its byte order mark.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SourceFileSystem } from './sources/origin';
import { readTextFileSync } from './textFiles';

export function diskFileSystem(): SourceFileSystem {
  const isFile = (path: string) => { try { return statSync(path).isFile(); } catch { return false; } };
  return {
    readFile: path => (isFile(path) ? readTextFileSync(path).text : undefined),
    readBytes: path => (isFile(path) ? new Uint8Array(readFileSync(path)) : undefined),
    readDirectory: path => { try { return readdirSync(path); } catch { return undefined; } },
    isDirectory: path => { try { return statSync(path).isDirectory(); } catch { return false; } },
  };
}

export function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}
