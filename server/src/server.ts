#!/usr/bin/env node
// The language server: connection, capabilities and handlers. The analysis lives in ./engine.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { analyzeText, Finding } from './engine';
import { isChartTemplate } from './files';
import { toCodeActions, toDiagnostic } from './lsp/convert';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Findings of the last analysis of each open document, for code actions. */
const findingsByUri = new Map<string, { version: number; findings: Finding[] }>();
const pending = new Map<string, NodeJS.Timeout>();
/** Short enough to feel immediate, long enough to skip the states between two quick keystrokes. */
const DEBOUNCE_MS = 30;

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeActionProvider: { codeActionKinds: ['quickfix'] },
  },
  serverInfo: { name: 'kube-immutable', version: VERSION },
}));

function isChartTemplateUri(uri: string): boolean {
  if (!uri.startsWith('file:')) return false;
  try { return isChartTemplate(fileURLToPath(uri)); } catch { return false; }
}

function validate(document: TextDocument): void {
  if (document.languageId !== 'yaml' || isChartTemplateUri(document.uri)) {
    findingsByUri.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    return;
  }
  let findings: Finding[];
  try {
    findings = analyzeText(document.getText()).findings;
  } catch (error) {
    connection.console.error(`Analysis of ${document.uri} failed: ${(error as Error).stack ?? error}`);
    findings = [];
  }
  findingsByUri.set(document.uri, { version: document.version, findings });
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: findings.map(f => toDiagnostic(f, document.uri)) });
}

function schedule(document: TextDocument): void {
  clearTimeout(pending.get(document.uri));
  pending.set(document.uri, setTimeout(() => {
    pending.delete(document.uri);
    const current = documents.get(document.uri);
    if (current) validate(current);
  }, DEBOUNCE_MS));
}

documents.onDidOpen(event => validate(event.document));
documents.onDidChangeContent(event => schedule(event.document));
documents.onDidClose(event => {
  clearTimeout(pending.get(event.document.uri));
  pending.delete(event.document.uri);
  findingsByUri.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction(params => {
  const document = documents.get(params.textDocument.uri);
  const analysed = findingsByUri.get(params.textDocument.uri);
  if (!document || !analysed || analysed.version !== document.version) return [];
  return toCodeActions(analysed.findings, document.uri, params.range, params.context.diagnostics);
});

declare const VERSION: string;

documents.listen(connection);
connection.listen();
