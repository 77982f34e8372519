// The extension in VS Code for the browser (vscode.dev, github.dev): the same language server, started as a
// web worker, which reads the workspace through this client (workspaceFiles.ts).
import { ExtensionContext, Uri, window, workspace } from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/browser';
import { answerFileRequests } from './workspaceFiles';

// The web worker's globals (the DOM library is left out of the type check, which is mostly Node's).
declare class Worker { constructor(url: string) }
declare class Blob { constructor(parts: Uint8Array[], options: { type: string }) }
declare const URL: { createObjectURL(blob: Blob): string };

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const outputChannel = window.createOutputChannel('kube-immutable');
  const clientOptions: LanguageClientOptions = {
    // VS Code gives compose.yaml and docker-compose.yml the language `dockercompose` (as in extension.ts).
    documentSelector: [{ language: 'yaml' }, { language: 'dockercompose' }],
    outputChannel,
    synchronize: { configurationSection: 'kubeImmutable' },
  };
  const worker = new Worker(await scriptUrl(Uri.joinPath(context.extensionUri, 'dist', 'browserServer.js')));
  client = new LanguageClient('kubeImmutable', 'kube-immutable', clientOptions, worker);
  answerFileRequests(client);
  context.subscriptions.push(outputChannel);
  await client.start();
}

/**
 * A URL a worker can start from. VS Code's web worker host refuses to start one from a `vscode-remote:` URL,
 * which an extension installed on a remote server has (code-server's), so that script is read through the
 * editor and started from a blob; from vscode.dev's and github.dev's https: URLs it starts as it is.
 */
async function scriptUrl(script: Uri): Promise<string> {
  if (script.scheme !== 'vscode-remote') return script.toString(true);
  return URL.createObjectURL(new Blob([await workspace.fs.readFile(script)], { type: 'application/javascript' }));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
