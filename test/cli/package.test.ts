import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProtocolConnection, InitializeResult, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { installedPackage, ROOT, run } from './npmPackage';

/** The scripts npm runs when a package is installed as a dependency (npm 11 asks before it runs any of them). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

describe('npm package', function () {
  this.timeout(60000);

  it('holds the CLI\'s executable and its bundle, the extension\'s four bundles, the schema, the grammar, the icon and the documents, and nothing else', () => {
    const { pack } = installedPackage();
    assert.deepEqual(pack.files.map(file => file.path).sort(), [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'dist/browserClient.js', 'dist/browserServer.js', 'dist/cli.js', 'dist/cliMain.js', 'dist/client.js',
      'dist/server.js', 'images/icon.png', 'package.json', 'schemas/kube-immutable.schema.json',
      'syntaxes/kube-immutable-suppression.injection.json',
    ]);
    // The .vsix holds the same files, both builds of the extension, and stays under 1 MB.
    assert.ok(pack.size < 1_000_000, `packed size ${pack.size} bytes, more than 1 MB`);
  });

  it('has no dependencies and runs nothing at install', () => {
    const { project, installOutput } = installedPackage();
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'kube-immutable', 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(INSTALL_SCRIPTS.filter(name => manifest.scripts?.[name]), []);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
    assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/kube-immutable']);
    assert.equal(lock.packages['node_modules/kube-immutable'].hasInstallScript, undefined);
    assert.doesNotMatch(installOutput, /install-scripts|prepare|install script/i);
  });

  it('`npx kube-immutable examples/` reports what the built CLI reports', () => {
    const { project } = installedPackage();
    const examples = join(ROOT, 'examples');
    const installed = run('npx', ['--offline', 'kube-immutable', examples], project);
    const built = run(process.execPath, [join(ROOT, 'dist', 'cli.js'), examples], project);
    assert.equal(installed.status, 1);
    assert.match(installed.stdout, /^\d+ problems \(0 error, \d+ warning, 0 info, 0 hint\) in 5 files$/m);
    assert.deepEqual(installed, built);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(run('npx', ['--offline', 'kube-immutable', '--version'], project), { status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('`npx --package kube-immutable kube-immutable-language-server --stdio` answers initialize and exits after shutdown', async () => {
    const { project } = installedPackage();
    const server = spawn('npx', ['--offline', '--package', 'kube-immutable', 'kube-immutable-language-server', '--stdio'], { cwd: project });
    const exited = new Promise<number | null>(resolve => server.on('exit', resolve));
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();
    const result: InitializeResult = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    assert.ok(result.capabilities.textDocumentSync, 'the server syncs documents');
    assert.ok(result.capabilities.codeActionProvider, 'the server offers code actions');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
    connection.dispose();
  });
});
