// The browser bundles as built: the web worker has no `require`, so the server bundle requires nothing, and the
// client bundle only `vscode`, which the web extension host provides. (The build itself fails on an import of a
// Node built-in; this holds its output to that.)
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', '..', 'dist');
const required = (bundle: string) => [...new Set([...readFileSync(join(DIST, bundle), 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(m => m[1]))];

describe('the browser bundles', () => {
  it('the server requires no module', () => assert.deepEqual(required('browserServer.js'), []));
  it('the client requires vscode alone', () => assert.deepEqual(required('browserClient.js'), ['vscode']));
  it('the Node server, for contrast, requires Node built-ins (so the pattern finds them)', () => {
    assert.ok(required('server.js').some(name => name.startsWith('node:') || name === 'fs'), required('server.js').join(', '));
  });
});
