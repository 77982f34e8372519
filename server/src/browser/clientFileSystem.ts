// The workspace as the client sees it, for the language server in a web worker: every read is a request to
// the client (fileRequests.ts), so virtual file systems (github.dev's vscode-vfs://, a remote's
// vscode-remote://) work as the disk does in Node. A path is the path of a URI of a workspace folder.
//
// The configuration of a document is looked up synchronously while it is typed into, so `prepare` fetches,
// folder by folder, what those lookups need: which `.kube-immutable.yaml` and `Chart.yaml` files there are and
// the text of each config file. They are fetched again whenever the workspace refreshes (a setting, a folder
// or a config file changed).
import { Connection } from 'vscode-languageserver';
import { CONFIG_FILE_NAME, CONFIG_LIMITS } from '../engine';
import { decodeText } from '../engine/byteOrderMarks';
import { DirectoryEntry, WorkspaceFileSystem } from '../lsp/fileSystem';
import { PrefetchingFileSystem } from '../lsp/prefetchingFileSystem';
import { SourceFiles } from '../lsp/sourceFiles';
import { isInChartTemplates } from '../paths';
import {
  FIND_FILES, FindFilesParams, READ_DIRECTORY, READ_FILE, ReadDirectoryParams, ReadFileParams, ReadFileResult, DirectoryKind,
} from './fileRequests';
import { dirname, join } from '../sources/posixPath';

interface Folder { origin: string; path: string }

/** A larger file that a source reads counts as missing: no manifest, patch or values file is near this size. */
const MAX_SOURCE_FILE_BYTES = 16 << 20;

export class ClientFileSystem implements WorkspaceFileSystem {
  private folders: Folder[] = [];
  private chartFiles = new Set<string>();
  /** The text of each config file of the workspace, or why it could not be read. */
  private configTexts = new Map<string, string | Error>();
  private limitsTold = false;
  private archivesTold = false;

  constructor(private readonly connection: Connection) {}

  toPath(uri: string): string | undefined {
    const parts = splitUri(uri);
    if (!parts || !this.folders.some(folder => folder.origin === parts.origin)) return undefined;
    return parts.path;
  }

  toUri(path: string): string {
    // The folder the path is in, the deepest first; a path outside every folder keeps the first one's origin.
    const folder = this.folders.find(f => path === f.path || path.startsWith(f.path.endsWith('/') ? f.path : `${f.path}/`)) ?? this.folders[0];
    return `${folder?.origin ?? 'file://'}${encodePath(path)}`;
  }

  async prepare(folderUris: readonly string[]): Promise<void> {
    if (!this.limitsTold) {
      this.limitsTold = true;
      this.connection.console.info('kube-immutable runs in the browser and reads the workspace through the editor: a '
        + `${CONFIG_FILE_NAME} is found only inside a workspace folder, a Chart.yaml added or removed counts from the next change `
        + `of a setting or of a ${CONFIG_FILE_NAME}, and symbolic links are skipped.`);
    }
    this.folders = folderUris.flatMap(uri => splitUri(uri) ?? []).sort((a, b) => b.path.length - a.path.length);
    const [configFiles, chartFiles, packedSubcharts] = await Promise.all([
      this.findFiles(`**/${CONFIG_FILE_NAME}`), this.findFiles('**/Chart.yaml'), this.archivesTold ? [] : this.findFiles('**/charts/*.tgz'),
    ]);
    this.chartFiles = new Set(chartFiles);
    // Node's gunzip is not here (sources/helm/chart.ts refuses each archive where the chart is rendered): said once.
    if (packedSubcharts.length && !this.archivesTold) {
      this.archivesTold = true;
      this.connection.console.warn(`Packed subcharts (.tgz), such as ${packedSubcharts.sort()[0]}, are not read in the browser: kube-immutable `
        + 'unpacks them only where it runs in Node (desktop VS Code, the CLI), so a chart that holds one is not checked here. '
        + 'Unpacked (helm pull --untar into charts/), they are read everywhere.');
    }
    const texts = await Promise.all(configFiles.map(async path => {
      const file = await this.readRegularFile(path, CONFIG_LIMITS.maxLength);
      if (!file) return new Error('not a regular file, or it cannot be read');
      if (file.size > CONFIG_LIMITS.maxLength) return new Error(`${file.size} bytes, more than a configuration file may hold (${CONFIG_LIMITS.maxLength})`);
      return file.text;
    }));
    this.configTexts = new Map(configFiles.map((path, i) => [path, texts[i]]));
  }

  async readDirectory(path: string): Promise<DirectoryEntry[] | undefined> {
    const params: ReadDirectoryParams = { uri: this.toUri(path) };
    const entries = await this.request<[string, DirectoryKind][] | null>(READ_DIRECTORY, params);
    return entries?.map(([name, kind]) => ({ name, kind }));
  }

  /** Links are not followed and not told apart from other entries the client cannot read: no real paths. */
  async realPath(): Promise<string | undefined> {
    return undefined;
  }

  async readRegularFile(path: string, maxBytes: number): Promise<{ text: string; size: number } | undefined> {
    const file = await this.readBytes(path, maxBytes);
    return file && { text: decodeText(file.bytes).text, size: file.size };
  }

  /** At most `maxBytes` of a regular file, with its whole size. */
  private async readBytes(path: string, maxBytes: number): Promise<{ bytes: Uint8Array; size: number } | undefined> {
    const params: ReadFileParams = { uri: this.toUri(path), maxBytes };
    const file = await this.request<ReadFileResult | null>(READ_FILE, params);
    if (!file) return undefined;
    const binary = atob(file.base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return { bytes, size: Math.max(file.size, bytes.length) };
  }

  findConfigFile(dir: string): string | undefined {
    for (let current = dir; ; current = dirname(current)) {
      const candidate = join(current, CONFIG_FILE_NAME);
      if (this.configTexts.has(candidate)) return candidate;
      if (dirname(current) === current) return undefined;
    }
  }

  readConfigText(path: string): string {
    const text = this.configTexts.get(path) ?? new Error('not found in the workspace');
    if (text instanceof Error) throw text;
    return text;
  }

  isChartTemplate(path: string): boolean {
    return isInChartTemplates(path, file => this.chartFiles.has(file));
  }

  /** Fetched through the client before each render, as much as it reads (see prefetchingFileSystem.ts). */
  sourceFiles(open: (path: string) => string | undefined): SourceFiles {
    const fetcher = {
      fetchFile: async (path: string) => {
        const file = await this.readBytes(path, MAX_SOURCE_FILE_BYTES);
        return file && file.size <= MAX_SOURCE_FILE_BYTES ? file.bytes : undefined;
      },
      fetchDirectory: (path: string) => this.readDirectory(path),
    };
    return new PrefetchingFileSystem(open, fetcher, message => this.connection.console.warn(message));
  }

  /** The paths of the files of every folder that match `pattern`; none from a folder the client cannot search. */
  private async findFiles(pattern: string): Promise<string[]> {
    const found = await Promise.all(this.folders.map(folder => {
      const params: FindFilesParams = { baseUri: `${folder.origin}${encodePath(folder.path)}`, pattern };
      return this.request<string[] | null>(FIND_FILES, params);
    }));
    return found.flatMap(uris => (uris ?? []).flatMap(uri => this.toPath(uri) ?? []));
  }

  /** A request to the client; null when it fails (the client is gone, or answered with an error), which is logged. */
  private async request<R>(method: string, params: object): Promise<R | null> {
    try {
      return await this.connection.sendRequest<R>(method, params);
    } catch (error) {
      this.connection.console.warn(`${method} ${JSON.stringify(params)} failed: ${(error as Error).message ?? error}`);
      return null;
    }
  }
}

/** `scheme://authority` and the decoded path of a URI; undefined for one with a query or fragment, which names no plain file. */
export function splitUri(uri: string): Folder | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?$/.exec(uri);
  if (!match) return undefined;
  try {
    return { origin: match[1], path: decodeURIComponent(match[2] ?? '/') };
  } catch {
    return undefined;
  }
}

/** A path as VS Code's `Uri.toString()` writes it: every byte but `A-Za-z0-9-._~` and `/` percent-encoded. */
export function encodePath(path: string): string {
  return path.split('/').map(segment => encodeURIComponent(segment)
    .replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}
