// The language server: connection, capabilities and handlers, the same in both hosts. The analysis lives in
// ./engine; the hosts (nodeServer.ts, browserServer.ts) bring the connection and the workspace's files.
import { CodeAction, CodeActionKind, Connection, Diagnostic, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { AnalysisResult, Finding } from './engine';
import { AnalysisScheduler, Snapshot } from './lsp/analysisScheduler';
import { cachedFixesOf, codeActionsFor, DeferredFix, FIX_ALL_KIND, resolveFixEdit, toDiagnostic } from './lsp/convert';
import { WorkspaceFileSystem } from './lsp/fileSystem';
import { Workspace } from './lsp/workspace';
import { publishedFindings } from './lsp/published';
import { KUSTOMIZE_TREES, KustomizeTrees } from './lsp/kustomizeTrees';
import { HELM_CHARTS } from './lsp/helmCharts';
import { ComposeProjects, CoveringSources } from './lsp/composeProjects';
import { editorSnapshot, InternalErrorLog, limitNotes, withEditorLimits } from './editorLimits';
import { DocumentEdits } from './lsp/documentEdits';
import { OpenDocument } from './lsp/openDocument';
import { warmUpCodeActions } from './lsp/codeActionWarmUp';
import { afterWaitingRequests } from './lsp/turns';
import { warmUpParser } from './lsp/parserWarmUp';

declare const VERSION: string;

export function startServer(connection: Connection, files: WorkspaceFileSystem): void {
  const internalErrors = new InternalErrorLog(line => connection.console.error(line));
  /** What each update of an open document changed, so that the analysis reads only that part again. */
  const edits = new DocumentEdits();
  const documents = new TextDocuments(edits.configuration);
  /** Findings of the last analysis of each open document, for code actions. */
  const findingsByUri = new Map<string, { version: number; findings: Finding[] }>();
  /** Code action requests waiting for the analysis of a document's latest version. */
  const waiting = new Map<string, Set<() => void>>();
  const scheduler = new AnalysisScheduler(uri => { const document = documents.get(uri); return editorSnapshot(document && edits.snapshot(document)); }, publish, (document, error) => {
    connection.console.error(`Analysis of ${document.uri} failed: ${(error as Error).stack ?? error}`);
    publish(document, { findings: [], documents: [] });
  });
  /** How the Kustomize trees, Helm charts and Compose projects reach files and hand back the ones they no longer read. */
  const sourceHost = {
    toPath: (uri: string) => files.toPath(uri),
    toUri: (path: string) => files.toUri(path),
    optionsFor: (path: string) => withEditorLimits(workspace.optionsFor(files.toUri(path))),
    publish: (path: string, diagnostics: Diagnostic[]) => void connection.sendDiagnostics({ uri: files.toUri(path), diagnostics }),
    released: (path: string) => {
      const document = documents.get(files.toUri(path));
      if (document) validate(document); else workspace.relint(path);
    },
    tell: (message: string) => connection.console.warn(message),
    configuredChain: (dir: string) => workspace.composeChainFor(dir),
    chartValueSets: (dir: string) => workspace.chartValueSetsFor(dir),
  };
  const openText = (path: string) => documents.get(files.toUri(path))?.getText();
  /** The Kustomize trees, Helm charts and Compose projects of the workspace: the files they read are analysed through them. */
  const trees = new CoveringSources([
    new KustomizeTrees(sourceHost, files.sourceFiles(openText), [KUSTOMIZE_TREES, HELM_CHARTS]),
    new ComposeProjects(sourceHost, files.sourceFiles(openText)),
  ]);
  /** Scans and watches the workspace folders, and holds the configuration of every file. */
  const workspace: Workspace = new Workspace(connection, documents, () => documents.all().forEach(validate), files, trees);

  /** Whether the client resolves a code action's edit: quick fixes then go without edits until resolved. */
  let resolvesEdits = false;

  connection.onInitialize(params => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: resolvesEdits = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') },
      workspace: workspace.initialize(params),
    },
    serverInfo: { name: 'kube-immutable', version: VERSION },
  }));

  function isChartTemplateUri(uri: string): boolean {
    const path = files.toPath(uri);
    return !!path && files.isChartTemplate(path);
  }

  connection.onInitialized(() => {
    void workspace.start();
    afterWaitingRequests(() => void warmUpCodeActions());
  });

  /** Whether `yaml`'s general parser is warmed up: it is once there is a first document to analyse (parserWarmUp.ts). */
  let parserWarmedUp = false;

  /** YAML, and Docker Compose files, which VS Code gives a language of their own. */
  const YAML_LANGUAGES = new Set(['yaml', 'dockercompose']);

  function validate(document: OpenDocument): void {
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
    workspace.noteText(document.uri, document.text, edits.snapshot(document));
    scheduler.schedule(document, { options: withEditorLimits(workspace.optionsFor(document.uri)), maxFindings: workspace.maxProblemsFor(document.uri) });
    if (!parserWarmedUp) {
      parserWarmedUp = true;
      warmUpParser({ quietFor: () => scheduler.quietFor() });
    }
  }

  /**
   * Publishes a result; one that is not `complete` (the first documents of a large stream) is not kept for code actions.
   * The result lists the findings that are published (and counts the rest), so code actions are offered for those.
   */
  function publish(document: Snapshot, result: AnalysisResult, complete = true): void {
    internalErrors.report(document.uri, result.errors);
    // A Kustomize tree took the file over while it was analysed on its own.
    if (trees.covers(document.uri)) return;
    const notes = limitNotes(document);
    if (complete) {
      findingsByUri.set(document.uri, { version: document.version, findings: [...result.findings, ...notes] });
      const waiters = waiting.get(document.uri);
      waiting.delete(document.uri);
      waiters?.forEach(resolve => resolve());
    }
    const published = [...publishedFindings(result, workspace.maxProblemsFor(document.uri), complete), ...notes];
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: published.map(f => toDiagnostic(f, document.uri)) });
  }

  // Fired on open as well as on each change.
  documents.onDidChangeContent(event => validate(event.document));
  documents.onDidClose(event => {
    edits.forget(event.document.uri);
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
    const options = workspace.optionsFor(document.uri);
    return codeActionsFor(document.getText(), current.findings, document.uri, params, options,
      problem => internalErrors.fixAllRefused(document.uri, problem), withEditorLimits(options), resolvesEdits ? { version: document.version } : undefined);
  });

  // A quick fix's edit, computed only now; an action of an older version of the text stays without one.
  connection.onCodeActionResolve(async action => {
    const data = action.data as DeferredFix | undefined;
    if (action.edit || !data?.fixRef) return action;
    // A Kustomize tree, a chart or a Compose project took the file over since the action was offered (in the browser
    // their first render comes after the file's own analysis): the same fix is theirs to make now.
    if (trees.covers(data.uri) && documents.get(data.uri)?.version === data.version) return takenOver(action, data);
    const document = documents.get(data.uri);
    const current = findingsByUri.get(data.uri);
    if (!document || document.version !== data.version || current?.version !== data.version) return action;
    const edit = resolveFixEdit(data, current.findings, found => cachedFixesOf(document.getText(), found, withEditorLimits(workspace.optionsFor(data.uri))));
    return edit ? { ...action, edit } : action;
  });

  /** The action as the source that covers its file now offers it, by its title, at the range of its diagnostics. */
  async function takenOver(action: CodeAction, data: DeferredFix): Promise<CodeAction> {
    const range = action.diagnostics?.[0]?.range;
    if (!range) return action;
    const actions = await trees.codeActions(data.uri, { textDocument: { uri: data.uri }, range, context: { diagnostics: [], only: [CodeActionKind.QuickFix] } });
    const edit = actions.find(candidate => candidate.title === action.title)?.edit;
    return edit ? { ...action, edit } : action;
  }

  documents.listen(connection);
  connection.listen();
}
