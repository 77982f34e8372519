#!/usr/bin/env node
// The language server in Node (dist/server.js): over the connection the client chose (IPC, stdio, socket),
// reading the workspace from disk.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { NodeFileSystem } from './lsp/nodeFileSystem';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// A bug costs one analysis, never the server: without it the editor would lose every diagnostic.
process.on('uncaughtException', error => connection.console.error(`Internal error: ${error.stack ?? error}`));
startServer(connection, new NodeFileSystem());
