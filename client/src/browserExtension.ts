// The extension in VS Code for the browser (vscode.dev, github.dev): the same language server, started as a
// web worker, which reads the workspace through this client (workspaceFiles.ts).
import { ExtensionContext, Uri, window } from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/browser';
import { answerFileRequests } from './workspaceFiles';

// The web worker's constructor (the DOM library is left out of the build, which is mostly Node's).
declare class Worker { constructor(url: string) }

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const outputChannel = window.createOutputChannel('kube-immutable');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'yaml' }],
    outputChannel,
    synchronize: { configurationSection: 'kubeImmutable' },
  };
  const worker = new Worker(Uri.joinPath(context.extensionUri, 'dist', 'browserServer.js').toString(true));
  client = new LanguageClient('kubeImmutable', 'kube-immutable', clientOptions, worker);
  answerFileRequests(client);
  context.subscriptions.push(outputChannel);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
