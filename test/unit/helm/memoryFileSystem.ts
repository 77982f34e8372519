// A SourceFileSystem over an in-memory tree, for chart tests: paths are absolute, `/`-separated.
import { SourceFileSystem } from '../../../server/src/sources/origin';

export function memoryFileSystem(files: Record<string, string | Uint8Array>): SourceFileSystem {
  const normal = new Map(Object.entries(files).map(([path, data]) => [path.replace(/\/+$/, ''), data]));
  const children = (dir: string) => {
    const prefix = `${dir}/`;
    const names = new Set<string>();
    for (const path of normal.keys()) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]);
    return [...names];
  };
  return {
    readFile: path => { const data = normal.get(path); return data === undefined ? undefined : typeof data === 'string' ? data : new TextDecoder().decode(data); },
    readBytes: path => { const data = normal.get(path); return data === undefined ? undefined : typeof data === 'string' ? new TextEncoder().encode(data) : data; },
    readDirectory: path => (normal.has(path) ? undefined : children(path).length ? children(path) : undefined),
    isDirectory: path => !normal.has(path) && children(path).length > 0,
  };
}
