#!/usr/bin/env node
// The language server: connection, capabilities and handlers. The analysis lives in ./engine.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { AnalysisResult, Finding } from './engine';
import { isChartTemplate } from './files';
import { AnalysisScheduler, Snapshot } from './lsp/analysisScheduler';
import { codeActionsFor, FIX_ALL_KIND, toDiagnostic } from './lsp/convert';
import { Workspace } from './lsp/workspace';
import { editorSnapshot, InternalErrorLog, limitNotes, withEditorLimits } from './editorLimits';

const connection = createConnection(ProposedFeatures.all);
// A bug costs one analysis, never the server: without it the editor would lose every diagnostic.
process.on('uncaughtException', error => connection.console.error(`Internal error: ${error.stack ?? error}`));
const internalErrors = new InternalErrorLog(line => connection.console.error(line));
const documents = new TextDocuments(TextDocument);
/** Findings of the last analysis of each open document, for code actions. */
const findingsByUri = new Map<string, { version: number; findings: Finding[] }>();
const scheduler = new AnalysisScheduler(uri => editorSnapshot(documents.get(uri)), publish, (document, error) => {
  connection.console.error(`Analysis of ${document.uri} failed: ${(error as Error).stack ?? error}`);
  publish(document, { findings: [], documents: [] });
});
/** Scans and watches the workspace folders, and holds the configuration of every file. */
const workspace = new Workspace(connection, documents, () => documents.all().forEach(validate));

connection.onInitialize(params => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
    workspace: workspace.initialize(params),
  },
  serverInfo: { name: 'kube-immutable', version: VERSION },
}));

function isChartTemplateUri(uri: string): boolean {
  if (!uri.startsWith('file:')) return false;
  try { return isChartTemplate(fileURLToPath(uri)); } catch { return false; }
}

connection.onInitialized(() => void workspace.start());

function validate(document: TextDocument): void {
  if (workspace.validatesItself(document)) return;
  if (document.languageId !== 'yaml' || isChartTemplateUri(document.uri) || workspace.isExcluded(document.uri)) {
    scheduler.forget(document.uri);
    findingsByUri.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    return;
  }
  scheduler.schedule(document, withEditorLimits(workspace.optionsFor(document.uri)));
}

function publish(document: Snapshot, result: AnalysisResult): void {
  internalErrors.report(document.uri, result.errors);
  const findings = [...result.findings, ...limitNotes(document)];
  findingsByUri.set(document.uri, { version: document.version, findings });
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: findings.map(f => toDiagnostic(f, document.uri)) });
}

// Fired on open as well as on each change.
documents.onDidChangeContent(event => validate(event.document));
documents.onDidClose(event => {
  scheduler.forget(event.document.uri);
  findingsByUri.delete(event.document.uri);
  workspace.documentClosed(event.document.uri);
});

connection.onCodeAction(params => {
  const document = documents.get(params.textDocument.uri);
  const analysed = findingsByUri.get(params.textDocument.uri);
  if (!document || !analysed || analysed.version !== document.version) return [];
  return codeActionsFor(document.getText(), analysed.findings, document.uri, params, workspace.optionsFor(document.uri));
});

declare const VERSION: string;

documents.listen(connection);
connection.listen();
