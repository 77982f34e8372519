// The workspace beyond the open documents: on start the server lints every Kubernetes YAML file of each
// workspace folder and publishes the diagnostics of the closed ones, then follows the files created, changed
// and deleted on disk (the client reports them through the watchers registered here). An open document always
// wins over its file on disk. Settings and `.kube-immutable.yaml` changes take effect at once.
import { basename, dirname, join } from 'node:path';
import {
  ClientCapabilities, Connection, Diagnostic, DiagnosticSeverity, DidChangeWatchedFilesNotification,
  FileChangeType, FileEvent, InitializeParams, ServerCapabilities, TextDocuments, WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, AnalyzeOptions, ChartValueSet, CONFIG_FILE_NAME, ConfigProblem, EDITOR_LIMITS, matchesAnyGlob, parseConfigFile, StreamText } from '../engine';
import { EditorSnapshot, withEditorLimits } from '../editorLimits';
import { isYamlFile, linkNotFollowed, pathBelow, SKIPPED_DIRECTORIES } from '../paths';
import { Configurations, FolderSettings, isConfigFileUri, readSettingsSection } from './configurations';
import { WorkspaceFileSystem } from './fileSystem';
import { nextTurn } from './turns';
import { readInOrder, RegularFile } from './readAhead';
import { SOURCE, toDiagnostic } from './convert';
import { DocumentVersion, NamespaceIndex } from './namespaceIndex';
import { DEFAULT_MAX_PROBLEMS_PER_FILE, publishedFindings } from './published';
import { KustomizeTrees } from './kustomizeTrees';

export const SETTINGS_SECTION = 'kubeImmutable';
// Besides YAML: a Kustomization file may be named `Kustomization`, and a JSON 6902 patch may be a `.json` file.
const WATCHERS = [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/Kustomization' }, { globPattern: `**/${CONFIG_FILE_NAME}` }];
/** Files analysed between two looks at the message queue, so that typing is never held up by a scan. */
const FILES_PER_TURN = 8;
/** The texts of the scan's first pass kept for its second, at most this many characters in all. */
const SCAN_KEPT_BYTES = 32 << 20;

export class Workspace {
  readonly configurations: Configurations;
  private capabilities: ClientCapabilities = {};
  private folders: WorkspaceFolder[] = [];
  /** Closed files whose last published diagnostics were not empty, so that they are cleared when that changes. */
  private readonly published = new Set<string>();
  /** Bumped by every scan; a scan that sees a newer one stops. */
  private generation = 0;
  /**
   * The paths changed on disk while a scan is under way: what the scan read of them, or of the files of a deleted
   * folder, may be older than the lint their change asked for, so the scan leaves them to it.
   */
  private readonly changedDuringScan = new Set<string>();
  /** Settings pushed with didChangeConfiguration, for clients that cannot be asked for them. */
  private pushedSettings: unknown;
  /** Symbolic links the scan did not follow and said so, so that each is said once. */
  private readonly linksSaid = new Set<string>();
  /** The Namespaces of the workspace, for the pod-security-admission rule. */
  private readonly namespaces = new NamespaceIndex();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    /** Re-analyses the open documents, after the configuration changed. */
    private readonly revalidateOpenDocuments: () => void,
    readonly files: WorkspaceFileSystem,
    /** The Kustomize trees and Compose projects of the scanned folders: the files they read are linted through them. */
    private readonly trees: Pick<KustomizeTrees, 'covers' | 'changed' | 'setFolders'>,
  ) {
    this.configurations = new Configurations(files);
  }

  /** Keeps what the client said about itself and its folders; returns the server's workspace capabilities. */
  initialize(params: InitializeParams): ServerCapabilities['workspace'] {
    this.capabilities = params.capabilities;
    const rootUri = params.rootUri ?? (params.rootPath ? this.files.toUri(params.rootPath) : undefined);
    this.folders = params.workspaceFolders ?? (rootUri ? [{ uri: rootUri, name: basename(rootUri) }] : []);
    return { workspaceFolders: { supported: true, changeNotifications: true } };
  }

  /** After `initialized`: registers what the client must send, reads the configuration and scans. */
  async start(): Promise<void> {
    const workspace = this.capabilities.workspace;
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHERS });
    }
    this.connection.onDidChangeConfiguration(params => {
      this.pushedSettings = (params.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
      void this.refresh();
    });
    this.connection.onDidChangeWatchedFiles(params => void this.filesChanged(params.changes));
    if (workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders(event => {
        this.folders = [...this.folders.filter(folder => !event.removed.some(removed => removed.uri === folder.uri)), ...event.added];
        void this.refresh();
      });
    }
    await this.refresh();
  }

  /** Reads the settings of every folder again, forgets the config files read, and re-lints everything. */
  async refresh(): Promise<void> {
    await this.files.prepare(this.folders.map(folder => folder.uri));
    const folders = await Promise.all(this.folders.flatMap(folder => {
      const path = this.files.toPath(folder.uri);
      return path ? [this.settingsOf({ uri: folder.uri, path })] : [];
    }));
    this.configurations.setFolders(folders);
    this.configurations.configFilesChanged();
    for (const folder of folders.filter(f => f.problems.length)) {
      // Settings have no text to put a diagnostic on; what is wrong is said once, and the rest applies.
      const message = `kube-immutable settings of ${folder.path}: ${folder.problems.map(p => `${SETTINGS_SECTION}.${p.path}: ${p.message}`).join(' ')}`;
      this.connection.console.warn(message);
      // Typed void, but a request: a client that cannot show it answers with an error, and the log has the warning.
      void Promise.resolve<unknown>(this.connection.window.showWarningMessage(message)).catch(() => undefined);
    }
    this.revalidateOpenDocuments();
    await this.scan();
  }

  private async settingsOf(folder: { uri: string; path: string }): Promise<FolderSettings> {
    const section = this.capabilities.workspace?.configuration
      ? await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: SETTINGS_SECTION })
      : this.pushedSettings;
    return readSettingsSection(section, folder);
  }

  /** The analysis options of a document; the same object while its configuration and the namespaces stay the same. */
  optionsFor(uri: string): AnalyzeOptions {
    return this.namespaces.options(this.configurations.forUri(uri).options);
  }

  /**
   * Notes the Namespaces in a document's latest text (undefined: it is gone), `document` its version when it is open. When their labels
   * changed, every other manifest is linted again: its pods may land in one of them.
   */
  noteText(uri: string, text: StreamText | undefined, document?: DocumentVersion): void {
    if (!this.namespaces.update(uri, text, document)) return;
    this.revalidateOpenDocuments();
    void this.scan();
  }

  /** The Compose chain the configuration names for a folder. */
  composeChainFor(dir: string): string[] | undefined {
    return this.configurations.composeChainFor(dir);
  }

  /** The value sets the configuration names for a chart folder. */
  chartValueSetsFor(dir: string): ChartValueSet[] {
    return this.configurations.chartValueSetsFor(dir);
  }

  /** How many problems of a file are published: the setting of its workspace folder. */
  maxProblemsFor(uri: string): number {
    const path = this.files.toPath(uri);
    return (path && this.configurations.folderOf(path)?.editor.maxProblemsPerFile) || DEFAULT_MAX_PROBLEMS_PER_FILE;
  }

  /** Is the document left alone by the manifest analysis: excluded by the configuration? */
  isExcluded(uri: string): boolean {
    return this.configurations.forUri(uri).excluded;
  }

  /** Config files are validated here, from the open text while they are open; returns true for them. */
  validatesItself(document: TextDocument): boolean {
    if (!isConfigFileUri(document.uri, this.files)) return false;
    this.publishConfigProblems(document.uri, parseConfigFile(document.getText()).problems);
    return true;
  }

  documentClosed(uri: string): void {
    this.namespaces.documentClosed(uri);
    if (isConfigFileUri(uri, this.files)) { void this.publishConfigFileFromDisk(uri); return; }
    // The trees that read it go back to the text on disk.
    if (this.trees.covers(uri)) { this.trees.changed(uri); return; }
    const path = this.files.toPath(uri);
    if (path && this.isScanned(path)) { void this.lintFromDisk(path, uri); return; }
    this.clear(uri);
    // A Namespace that was only open is gone with it.
    this.noteText(uri, undefined);
  }

  private async filesChanged(changes: FileEvent[]): Promise<void> {
    const configChanges = changes.filter(change => isConfigFileUri(change.uri, this.files));
    if (configChanges.length) {
      for (const change of configChanges) if (change.type === FileChangeType.Deleted) this.publishConfigProblems(change.uri, []);
      // Which files a config file governs, and how, may all change: start over.
      await this.refresh();
      return;
    }
    for (const change of changes) {
      const path = this.files.toPath(change.uri);
      if (!path) continue;
      this.changedDuringScan.add(path);
      if (this.documents.get(change.uri)) continue;
      this.trees.changed(change.uri);
      if (change.type === FileChangeType.Deleted) {
        // A deleted folder comes as one event for the folder.
        for (const uri of [...this.published]) if (uri === change.uri || uri.startsWith(`${change.uri}/`)) this.clear(uri);
        this.noteText(change.uri, undefined);
      } else if (isYamlFile(path) && this.isScanned(path)) {
        await this.lintFromDisk(path, change.uri);
      }
    }
  }

  private isScanned(path: string): boolean {
    const folder = this.configurations.folderOf(path);
    if (!folder?.editor.scan || basename(path) === CONFIG_FILE_NAME || !isYamlFile(path)) return false;
    const inSkipped = (pathBelow(folder.path, path) ?? '').split('/').slice(0, -1).some(name => SKIPPED_DIRECTORIES.has(name));
    return !inSkipped && !this.configurations.forUri(this.files.toUri(path)).excluded && !this.files.isChartTemplate(path);
  }

  /** Lints every file of every folder that has the scan on, with a progress report in the window. */
  private async scan(): Promise<void> {
    const generation = ++this.generation;
    const stale = new Set(this.published);
    const folders = this.configurations.allFolders().filter(folder => folder.editor.scan);
    const progress = folders.length ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('kube-immutable', 0, 'Finding Kubernetes YAML files', false);
    const found = await Promise.all(folders.map(folder => this.yamlFilesBelow(folder)));
    const files = found.flatMap(below => below.manifests);
    // The Namespaces first, so that each file is linted once against all of them.
    // Files are read a few at a time, each read a round of the file system's threads away, and the texts of the
    // first pass are kept for the second, up to SCAN_KEPT_BYTES: a file is read once.
    let namespacesChanged = false;
    const kept = new Map<string, RegularFile | undefined>();
    let keptBytes = 0;
    this.changedDuringScan.clear();
    const closed = files.filter(file => !this.documents.get(this.files.toUri(file)));
    for await (const [file, read] of readInOrder(closed, path => this.files.readRegularFile(path, EDITOR_LIMITS.maxStreamBytes))) {
      if (generation !== this.generation) { progress?.done(); return; }
      const uri = this.files.toUri(file);
      if (this.documents.get(uri)) continue;
      if (this.namespaces.update(uri, read?.text)) namespacesChanged = true;
      if (keptBytes + (read?.text.length ?? 0) <= SCAN_KEPT_BYTES) {
        kept.set(file, read);
        keptBytes += read?.text.length ?? 0;
      }
    }
    if (namespacesChanged) this.revalidateOpenDocuments();
    // After the Namespaces: a tree's workloads are checked against the Namespaces their kustomization puts them in.
    await this.trees.setFolders(folders.map(folder => folder.path));
    const reads = readInOrder(files, path => (kept.has(path) ? Promise.resolve(kept.get(path)) : this.files.readRegularFile(path, EDITOR_LIMITS.maxStreamBytes)));
    let i = -1;
    for await (const [file, read] of reads) {
      i++;
      kept.delete(file);
      if (generation !== this.generation) { progress?.done(); return; }
      const uri = this.files.toUri(file);
      stale.delete(uri);
      if (this.trees.covers(uri) || this.changedSinceScanStarted(file)) continue;
      this.lintRead(uri, read);
      if (i % FILES_PER_TURN === FILES_PER_TURN - 1) {
        progress?.report(Math.round(((i + 1) / files.length) * 100), `Linted ${i + 1} of ${files.length} files`);
        await nextTurn();
      }
    }
    this.changedDuringScan.clear();
    for (const uri of stale) if (!this.documents.get(uri)) this.clear(uri);
    for (const path of found.flatMap(below => below.configFiles)) {
      const uri = this.files.toUri(path);
      if (!this.documents.get(uri)) this.publishConfigProblems(uri, this.configurations.configFile(path).problems);
    }
    progress?.done();
  }

  /** Whether the file, or a folder above it, changed on disk since the scan under way started. */
  private changedSinceScanStarted(path: string): boolean {
    if (!this.changedDuringScan.size) return false;
    for (let at = path; ; at = dirname(at)) {
      if (this.changedDuringScan.has(at)) return true;
      if (dirname(at) === at) return false;
    }
  }

  /** The manifests below a folder (YAML files without node_modules, .git, excluded paths and chart templates), and the config files. */
  private async yamlFilesBelow(folder: FolderSettings): Promise<{ manifests: string[]; configFiles: string[] }> {
    const manifests: string[] = [];
    const configFiles: string[] = [];
    const root = await this.files.realPath(folder.path) ?? folder.path;
    const visit = async (dir: string): Promise<void> => {
      const entries = await this.files.readDirectory(dir);
      if (!entries) return;
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        if (entry.kind === 'link') {
          // Not followed (see files.ts); one that loops or leaves the folder is said once.
          const skipped = linkNotFollowed(root, join(root, pathBelow(folder.path, path)!), await this.files.realPath(path));
          if (skipped && !this.linksSaid.has(path)) {
            this.linksSaid.add(path);
            this.connection.console.info(`Symbolic link ${path} not followed: ${skipped.reason}.`);
          }
        } else if (entry.kind === 'directory') {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !matchesAnyGlob(pathBelow(folder.path, path)!, folder.layer.exclude ?? [])) await visit(path);
        } else if (entry.kind === 'file' && entry.name === CONFIG_FILE_NAME) {
          configFiles.push(path);
        } else if (entry.kind === 'file' && this.isScanned(path)) {
          manifests.push(path);
        }
      }
    };
    await visit(folder.path);
    return { manifests, configFiles };
  }

  /** Lints a closed file on its own, when the scan covers it (after no Kustomize tree reads it any more). */
  relint(path: string): void {
    const uri = this.files.toUri(path);
    if (this.isScanned(path)) void this.lintFromDisk(path, uri);
    else this.clear(uri);
  }

  private async lintFromDisk(path: string, uri: string): Promise<void> {
    if (this.trees.covers(uri)) return;
    this.lintRead(uri, await this.files.readRegularFile(path, EDITOR_LIMITS.maxStreamBytes));
  }

  /**
   * Lints a closed file as read from disk. A closed file gets the same limits as an open one, so that one huge file
   * cannot hold up the server: only a regular file is read, and no more of it than the editor analyses.
   */
  private lintRead(uri: string, file: RegularFile | undefined): void {
    const maxBytes = EDITOR_LIMITS.maxStreamBytes;
    if (!file) { this.clear(uri); return; }
    // The document may have been opened, or a tree may have taken the file over, while it was read: then their
    // analysis is what counts.
    if (this.documents.get(uri) || this.trees.covers(uri)) return;
    this.noteText(uri, file.text);
    const options = this.optionsFor(uri);
    let diagnostics: Diagnostic[];
    const snapshot = new EditorSnapshot({ uri, version: 0, getText: () => file.text }, file.size > maxBytes ? file.size : undefined);
    try {
      diagnostics = [...publishedFindings(analyzeText(snapshot.getText(), withEditorLimits(options), 'none'), this.maxProblemsFor(uri), true), ...snapshot.notes()]
        .map(finding => toDiagnostic(finding, uri));
    }
    catch (error) {
      this.connection.console.error(`Analysis of ${uri} failed: ${(error as Error).stack ?? error}`);
      diagnostics = [];
    }
    if (!diagnostics.length && !this.published.has(uri)) return;
    if (diagnostics.length) this.published.add(uri); else this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  private clear(uri: string): void {
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async publishConfigFileFromDisk(uri: string): Promise<void> {
    const path = this.files.toPath(uri);
    let text: string | undefined;
    try { text = path && this.files.readConfigText(path); } catch { text = undefined; }
    this.publishConfigProblems(uri, text === undefined ? [] : parseConfigFile(text).problems);
  }

  private publishConfigProblems(uri: string, problems: ConfigProblem[]): void {
    const start = { line: 0, character: 0 };
    void this.connection.sendDiagnostics({
      uri,
      diagnostics: problems.map(problem => ({
        range: problem.range ?? { start, end: start },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        message: problem.message,
      })),
    });
  }
}
