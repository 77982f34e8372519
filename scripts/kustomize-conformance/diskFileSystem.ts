// A SourceFileSystem over a folder of the disk, seen as the root `/` (as Kustomize's test harness mounts its
// inputs), for the scripts that check the renderer against recorded and live `kustomize build` output.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SourceFileSystem } from '../../server/src/sources/origin';

export function mountedFileSystem(root: string): SourceFileSystem {
  const onDisk = (path: string) => join(root, path);
  const stat = (path: string) => {
    try {
      return statSync(onDisk(path));
    } catch {
      return undefined;
    }
  };
  return {
    readFile: (path) => (stat(path)?.isFile() ? readFileSync(onDisk(path), 'utf8') : undefined),
    readBytes: (path) => (stat(path)?.isFile() ? new Uint8Array(readFileSync(onDisk(path))) : undefined),
    readDirectory: (path) => (stat(path)?.isDirectory() ? readdirSync(onDisk(path)) : undefined),
    isDirectory: (path) => stat(path)?.isDirectory() ?? false,
  };
}
