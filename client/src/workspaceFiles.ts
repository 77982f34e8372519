// The client's half of the browser server's file access (server/src/browser/fileRequests.ts): it answers with
// the editor's own file systems, so the server reads a virtual workspace (github.dev, vscode.dev) as Node
// reads a disk.
import { FileType, RelativePattern, Uri, workspace } from 'vscode';
import { BaseLanguageClient } from 'vscode-languageclient';
import {
  DirectoryKind, FIND_FILES, FindFilesParams, READ_DIRECTORY, READ_FILE, ReadDirectoryParams, ReadFileParams, ReadFileResult,
} from '../../server/src/browser/fileRequests';

/** Larger files are not read at all: the server analyses at most a few MB of one, and says the rest was left. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

export function answerFileRequests(client: BaseLanguageClient): void {
  client.onRequest(FIND_FILES, async ({ baseUri, pattern }: FindFilesParams): Promise<string[]> => {
    // null: none of files.exclude's defaults, as the Node server walks every folder but node_modules and .git.
    const found = await workspace.findFiles(new RelativePattern(Uri.parse(baseUri), pattern), null);
    return found.map(uri => uri.toString()).sort();
  });
  client.onRequest(READ_DIRECTORY, async ({ uri }: ReadDirectoryParams): Promise<[string, DirectoryKind][] | null> => {
    try {
      const entries = await workspace.fs.readDirectory(Uri.parse(uri));
      return entries.map(([name, type]) => [name, kindOf(type)]);
    } catch {
      return null;
    }
  });
  client.onRequest(READ_FILE, async ({ uri, maxBytes }: ReadFileParams): Promise<ReadFileResult | null> => {
    try {
      const file = Uri.parse(uri);
      const { type, size } = await workspace.fs.stat(file);
      if (type !== FileType.File) return null;
      const bytes = size > MAX_READ_BYTES ? new Uint8Array() : (await workspace.fs.readFile(file)).subarray(0, maxBytes);
      return { base64: toBase64(bytes), size };
    } catch {
      return null;
    }
  });
}

function kindOf(type: FileType): DirectoryKind {
  if (type & FileType.SymbolicLink) return 'link';
  if (type === FileType.Directory) return 'directory';
  return type === FileType.File ? 'file' : 'other';
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
