// The language server: connection, capabilities and handlers, the same in both hosts. The analysis lives in
// ./engine; the hosts (nodeServer.ts, browserServer.ts) bring the connection and the workspace's files.
import { Connection, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisResult, Finding } from './engine';
import { AnalysisScheduler, Snapshot } from './lsp/analysisScheduler';
import { codeActionsFor, FIX_ALL_KIND, toDiagnostic } from './lsp/convert';
import { WorkspaceFileSystem } from './lsp/fileSystem';
import { Workspace } from './lsp/workspace';
import { KustomizeTrees } from './lsp/kustomizeTrees';
import { editorSnapshot, InternalErrorLog, limitNotes, withEditorLimits } from './editorLimits';

declare const VERSION: string;

export function startServer(connection: Connection, files: WorkspaceFileSystem): void {
  const internalErrors = new InternalErrorLog(line => connection.console.error(line));
  const documents = new TextDocuments(TextDocument);
  /** Findings of the last analysis of each open document, for code actions. */
  const findingsByUri = new Map<string, { version: number; findings: Finding[] }>();
  /** Code action requests waiting for the analysis of a document's latest version. */
  const waiting = new Map<string, Set<() => void>>();
  const scheduler = new AnalysisScheduler(uri => editorSnapshot(documents.get(uri)), publish, (document, error) => {
    connection.console.error(`Analysis of ${document.uri} failed: ${(error as Error).stack ?? error}`);
    publish(document, { findings: [], documents: [] });
  });
  /** The Kustomize trees of the workspace: the files they read are analysed through their builds. */
  const trees: KustomizeTrees = new KustomizeTrees({
    toPath: uri => files.toPath(uri),
    toUri: path => files.toUri(path),
    optionsFor: path => withEditorLimits(workspace.optionsFor(files.toUri(path))),
    publish: (path, diagnostics) => void connection.sendDiagnostics({ uri: files.toUri(path), diagnostics }),
    released: path => {
      const document = documents.get(files.toUri(path));
      if (document) validate(document); else workspace.relint(path);
    },
    tell: message => connection.console.warn(message),
  }, files.sourceFiles(path => documents.get(files.toUri(path))?.getText()));
  /** Scans and watches the workspace folders, and holds the configuration of every file. */
  const workspace: Workspace = new Workspace(connection, documents, () => documents.all().forEach(validate), files, trees);

  connection.onInitialize(params => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      workspace: workspace.initialize(params),
    },
    serverInfo: { name: 'kube-immutable', version: VERSION },
  }));

  function isChartTemplateUri(uri: string): boolean {
    const path = files.toPath(uri);
    return !!path && files.isChartTemplate(path);
  }

  connection.onInitialized(() => void workspace.start());

  /** YAML, and Docker Compose files, which VS Code gives a language of their own. */
  const YAML_LANGUAGES = new Set(['yaml', 'dockercompose']);

  function validate(document: TextDocument): void {
    if (workspace.validatesItself(document)) return;
    trees.changed(document.uri);
    if (trees.covers(document.uri)) {
      scheduler.forget(document.uri);
      findingsByUri.delete(document.uri);
      return;
    }
    if (!YAML_LANGUAGES.has(document.languageId) || isChartTemplateUri(document.uri) || workspace.isExcluded(document.uri)) {
      scheduler.forget(document.uri);
      findingsByUri.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      return;
    }
    workspace.noteText(document.uri, document.getText());
    scheduler.schedule(document, withEditorLimits(workspace.optionsFor(document.uri)));
  }

  function publish(document: Snapshot, result: AnalysisResult): void {
    internalErrors.report(document.uri, result.errors);
    // A Kustomize tree took the file over while it was analysed on its own.
    if (trees.covers(document.uri)) return;
    const findings = [...result.findings, ...limitNotes(document)];
    findingsByUri.set(document.uri, { version: document.version, findings });
    const waiters = waiting.get(document.uri);
    waiting.delete(document.uri);
    waiters?.forEach(resolve => resolve());
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: findings.map(f => toDiagnostic(f, document.uri)) });
  }

  // Fired on open as well as on each change.
  documents.onDidChangeContent(event => validate(event.document));
  documents.onDidClose(event => {
    scheduler.forget(event.document.uri);
    findingsByUri.delete(event.document.uri);
    workspace.documentClosed(event.document.uri);
  });

  /** Resolves once the findings of `version` (or a newer one) are published, or after `timeoutMs`. */
  function analysed(uri: string, version: number, timeoutMs = 2000): Promise<void> {
    if ((findingsByUri.get(uri)?.version ?? -1) >= version) return Promise.resolve();
    return new Promise(resolve => {
      const done = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => { waiting.get(uri)?.delete(done); resolve(); }, timeoutMs);
      if (!waiting.has(uri)) waiting.set(uri, new Set());
      waiting.get(uri)!.add(done);
    });
  }

  // A code action request can arrive before the analysis of the latest keystroke (e.g. fix-all on save right
  // after typing): it waits for that analysis rather than answering from findings of an older text.
  connection.onCodeAction(async params => {
    const uri = params.textDocument.uri;
    if (trees.covers(uri)) return trees.codeActions(uri, params);
    const requested = documents.get(uri);
    if (!requested || !findingsByUri.has(uri)) return [];
    await analysed(uri, requested.version);
    const document = documents.get(uri);
    const current = findingsByUri.get(uri);
    if (!document || !current || current.version !== document.version) return [];
    return codeActionsFor(document.getText(), current.findings, document.uri, params, workspace.optionsFor(document.uri),
      problem => internalErrors.fixAllRefused(document.uri, problem));
  });

  documents.listen(connection);
  connection.listen();
}
