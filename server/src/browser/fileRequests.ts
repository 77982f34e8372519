// The requests by which the language server in the browser reads the workspace through the client, which
// answers with `workspace.findFiles` and `workspace.fs` (client/src/workspaceFiles.ts). URIs are strings as
// `Uri.toString()` writes them; bytes travel in base64, as JSON has no bytes.

/** Every file below `baseUri` whose path relative to it matches the glob `pattern`, as URIs. */
export const FIND_FILES = 'kubeImmutable/findFiles';
export interface FindFilesParams { baseUri: string; pattern: string }

/** The entries of a folder as [name, kind]; null when it cannot be read. */
export const READ_DIRECTORY = 'kubeImmutable/readDirectory';
export interface ReadDirectoryParams { uri: string }
export type DirectoryKind = 'file' | 'directory' | 'link' | 'other';

/** At most `maxBytes` of a regular file, with its whole size; null for anything else or when it cannot be read. */
export const READ_FILE = 'kubeImmutable/readFile';
export interface ReadFileParams { uri: string; maxBytes: number }
export interface ReadFileResult { base64: string; size: number }
