// File-system facts that the CLI and the language server share (the engine itself never touches files).
// A folder may come from a repository nobody has reviewed, so a walk follows no symbolic link: each real file
// and folder is visited once under its own path, a link into the folder leads to what is searched anyway, and a
// link out of it leads where the user did not ask to look. Links that loop or leave are said once each.
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { decodeText } from './engine/byteOrderMarks';
import { isInChartTemplates, isYamlFile, linkNotFollowed, LinkNotFollowed, SKIPPED_DIRECTORIES } from './paths';

/** A file in a Helm chart's `templates/` folder (a folder beside a Chart.yaml): not YAML until rendered. */
export function isChartTemplate(path: string): boolean {
  return isInChartTemplates(path, existsSync);
}

export function realPathOrUndefined(path: string): string | undefined {
  try { return realpathSync(path); } catch { return undefined; }
}

/**
 * Every `*.yaml`/`*.yml` regular file below `root`, sorted, skipping node_modules and .git, and the links
 * worth saying that were not followed. Paths start with `root` as given.
 */
export function findYamlFiles(root: string): { files: string[]; links: LinkNotFollowed[] } {
  const files: string[] = [];
  const links: LinkNotFollowed[] = [];
  const realRoot = realPathOrUndefined(root) ?? root;
  const visit = (dir: string) => {
    let entries;
    // The entries' types come with the listing (Node looks up those the file system leaves unknown): no stat each.
    try { entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); } catch { return; }
    for (const entry of entries) {
      const { name } = entry;
      const path = join(dir, name);
      if (entry.isSymbolicLink()) {
        const skipped = linkNotFollowed(realRoot, join(realRoot, relative(root, path)), realPathOrUndefined(path));
        if (skipped) links.push({ ...skipped, path });
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name)) visit(path);
      } else if (entry.isFile() && isYamlFile(name)) {
        files.push(path);
      }
    }
  };
  visit(root);
  return { files, links };
}

/** Every `*.yaml`/`*.yml` regular file below `root` (see findYamlFiles). */
export function walkYamlFiles(root: string): string[] {
  return findYamlFiles(root).files;
}

/**
 * The text of a regular file, at most `maxBytes` of it, with the file's whole size; undefined for anything
 * else (a link, a FIFO that would block the read forever, a device, a folder) or when it cannot be read.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<{ text: string; size: number } | undefined> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; O_NOFOLLOW: not through a link.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (!bytesRead) break;
      length += bytesRead;
    }
    return { text: decodeText(buffer.subarray(0, length)).text, size: Math.max(stat.size, length) };
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/**
 * The text of a regular file, at most `maxBytes` of it (the rest is left unread and `size` says how much there
 * was); throws for anything else, a FIFO included, rather than waiting for a writer.
 */
export function readRegularFileSync(path: string, maxBytes: number): { text: string; size: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
    let length = 0;
    for (let read = 1; read && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, length);
    return { text: decodeText(buffer.subarray(0, length)).text, size: Math.max(stat.size, length) };
  } finally {
    closeSync(fd);
  }
}
