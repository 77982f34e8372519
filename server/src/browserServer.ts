// The language server in a web worker (dist/browserServer.js), for VS Code in the browser (vscode.dev,
// github.dev): over the worker's messages, reading the workspace through the client.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { ClientFileSystem } from './browser/clientFileSystem';
import { startServer } from './server';

declare const self: { addEventListener(type: 'error', listener: (event: { message: string }) => void): void };

const connection = createConnection(new BrowserMessageReader(self as never), new BrowserMessageWriter(self as never));
// A bug costs one analysis, never the server (see nodeServer.ts).
self.addEventListener('error', event => connection.console.error(`Internal error: ${event.message}`));
startServer(connection, new ClientFileSystem(connection));
