// A minimal LSP client over stdio for tests and benchmarks: starts the built server, collects the
// diagnostics it publishes, and lets a test wait for the next ones of a document.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, Diagnostic, InitializeParams, ProtocolConnection, PublishDiagnosticsParams,
  StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private versions = new Map<string, number>();
  /** Every publication, in the order received. */
  readonly publications: PublishDiagnosticsParams[] = [];
  readonly stderr: string[] = [];
  /** The messages of `window/logMessage`, in order. */
  readonly log: string[] = [];
  /** Answers to `workspace/configuration`, by section. */
  settings: Record<string, unknown> = {};
  /** What the server registered with `client/registerCapability`. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** How many work-done progress reports the server has ended, and who waits for a count. */
  private progressEnds = 0;
  private progressWaiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly process: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', chunk => this.stderr.push(String(chunk)));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.publications.push(params);
      this.waiters = this.waiters.filter(w => {
        if (w.uri !== params.uri || !w.accept(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.log.push(params.message));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onNotification('$/progress', (params: { value: { kind: string } }) => {
      if (params.value.kind !== 'end') return;
      this.progressEnds++;
      this.progressWaiters = this.progressWaiters.filter(w => (this.progressEnds >= w.count ? (w.resolve(), false) : true));
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(item => this.settings[item.section ?? ''] ?? null));
    this.connection.listen();
  }

  /** Starts a server (ours unless `server` names another's script) over stdio, with `nodeArgs` given to node. */
  static async start(init: Partial<InitializeParams> = {}, args: string[] = [], server = SERVER, nodeArgs: string[] = []): Promise<LspClient> {
    const child = spawn(process.execPath, [...nodeArgs, server, '--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(child);
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, ...init });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves once the server has ended `count` work-done progress reports since it started. */
  progressEnded(count: number, timeoutMs = 20000): Promise<void> {
    if (this.progressEnds >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`progress report ${count} did not end within ${timeoutMs} ms`)), timeoutMs);
      this.progressWaiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** Tells the server about files created (1), changed (2) or deleted (3) on disk, as an editor's watcher would. */
  async filesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Resolves with the next diagnostics published for `uri` that `accept` takes. */
  /**
   * The next diagnostics of `uri` that `accept` accepts; those of the first documents of a stream still being
   * analysed (with an `analysis-limit/in-progress` note) only with `partial`.
   */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10000, partial = false): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, accept: p => (partial || !isInProgress(p)) && accept(p), resolve: p => { clearTimeout(timer); resolve(p); } });
    });
  }

  async open(uri: string, text: string, languageId = 'yaml', timeoutMs?: number): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const next = this.nextDiagnostics(uri, undefined, timeoutMs);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return (await next).diagnostics;
  }

  /** Replaces the whole text (or a range of it) and waits for the diagnostics of the new version. */
  async change(uri: string, changes: ({ text: string } | { range: Diagnostic['range']; text: string })[], timeoutMs?: number): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const next = this.nextDiagnostics(uri, p => p.version === undefined || p.version >= version, timeoutMs);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return (await next).diagnostics;
  }

  async close(uri: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return (await next).diagnostics;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise(r => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch { /* the process may be gone already */ }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

/** A server on the one folder `root`, watching its files and scanning them, once the first scan has ended. */
export async function startScanning(root: string): Promise<LspClient> {
  const client = await LspClient.start({
    rootUri: fileUri(root),
    workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  client.settings = { kubeImmutable: { workspace: { scan: true } } };
  await client.progressEnded(1);
  return client;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Diagnostics of the first documents of a stream, published while the rest is analysed. */
export function isInProgress(params: PublishDiagnosticsParams): boolean {
  return params.diagnostics.some(d => (d.data as { messageId?: string } | undefined)?.messageId === 'analysis-limit/in-progress');
}
