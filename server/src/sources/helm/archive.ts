// Chart archives (`.tgz`): a gzip-compressed tar. Decompression comes from the host (node:zlib in the CLI and the
// language server), so this module stays free of Node built-ins; the tar format is read here: ustar headers,
// with the pax (`x`) and GNU (`L`) extensions for long names, as `helm package` writes them.

export type Gunzip = (bytes: Uint8Array) => Uint8Array;

const BLOCK = 512;
/** The most a chart archive may unpack to; Helm's own limit on a decompressed chart is 100 MiB. */
export const MAX_ARCHIVE_BYTES = 100 * 1024 * 1024;

/** The regular files of a tar archive, by path (`/` separators, no leading `./`), in archive order. */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every(byte => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length < size) throw new Error('truncated tar archive');
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') { longName = paxPath(body) ?? longName; continue; }
    if (type === 'L') { longName = text(body, 0, body.length); continue; }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === '0' || type === '7') files.set(name.replace(/^(\.\/)+/, ''), body.slice());
  }
  return files;
}

/** Unpacks a chart archive; the host decompresses it. */
export function readChartArchive(bytes: Uint8Array, gunzip: Gunzip): Map<string, Uint8Array> {
  const tar = gunzip(bytes);
  if (tar.length > MAX_ARCHIVE_BYTES) throw new Error(`the chart archive unpacks to more than ${MAX_ARCHIVE_BYTES} bytes`);
  return readTar(tar);
}

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const nul = field.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? field.subarray(0, nul) : field);
}

function octal(bytes: Uint8Array, start: number, length: number): number {
  const field = text(bytes, start, length).trim();
  const value = field ? parseInt(field, 8) : 0;
  if (!Number.isFinite(value) || value < 0) throw new Error('malformed tar header');
  return value;
}

/** The `path` record of a pax header: lines of `<length> <key>=<value>\n`. */
function paxPath(body: Uint8Array): string | undefined {
  const records = new TextDecoder().decode(body);
  for (let at = 0; at < records.length;) {
    const space = records.indexOf(' ', at);
    const length = Number(records.slice(at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) return undefined;
    const record = records.slice(space + 1, at + length - 1);
    if (record.startsWith('path=')) return record.slice(5);
    at += length;
  }
  return undefined;
}
