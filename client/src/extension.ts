// Starts the bundled language server for YAML files and wires it into the editor.
import * as path from 'node:path';
import { ExtensionContext, window } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const outputChannel = window.createOutputChannel('kube-immutable');
  const clientOptions: LanguageClientOptions = {
    // VS Code gives compose.yaml and docker-compose.yml the language `dockercompose`.
    documentSelector: [{ language: 'yaml' }, { language: 'dockercompose' }],
    outputChannel,
    // Tells the server when a kubeImmutable.* setting changes; it then asks for each folder's settings.
    // File watchers are registered by the server itself (client/registerCapability), for every editor alike.
    synchronize: { configurationSection: 'kubeImmutable' },
  };
  // The id `kubeImmutable` makes the client read the `kubeImmutable.trace.server` setting.
  client = new LanguageClient('kubeImmutable', 'kube-immutable', serverOptions, clientOptions);
  context.subscriptions.push(outputChannel);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
