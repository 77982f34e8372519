// The first quick fix a user asks for, answered at the speed of the later ones. In a fresh server the code that
// makes code actions and their fixes has never run, and the first request took 15-20 ms where the next ones took
// 2-3 ms (a Pod's container, on this machine). An editor asks for code actions at the cursor as soon as a file is
// opened, so the server makes those of a sample once it has started, while it waits for its first document.
import { CodeAction, CodeActionParams } from 'vscode-languageserver';
import { analyzeText, AnalyzeOptions } from '../engine';
import { codeActionsFor } from './convert';

const URI = 'untitled:kube-immutable-warm-up.yaml';
/** A Pod whose container has a finding of each rule about containers. */
const SAMPLE = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';

/** The code actions at the sample's first finding, as a client that resolves edits and one that does not ask for them. */
export function warmUpCodeActions(): CodeAction[] {
  const options: AnalyzeOptions = {};
  const { findings } = analyzeText(SAMPLE, options, 'none');
  if (!findings.length) return [];
  const params: CodeActionParams = { textDocument: { uri: URI }, range: findings[0].range, context: { diagnostics: [] } };
  const ignore = () => undefined;
  return [...codeActionsFor(SAMPLE, findings, URI, params, options, ignore, options, { version: 0 }), ...codeActionsFor(SAMPLE, findings, URI, params, options, ignore, options)];
}
