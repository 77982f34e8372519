// The VS Code suite in the web worker host (test/vscode/web/index.ts) names its test files, as a bundle for the
// browser cannot list a folder: it must name every one that the Node host's runner finds.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

describe('the web worker suite', () => {
  it('requires every test file of test/vscode/suite/, in order', () => {
    const files = readdirSync('test/vscode/suite').filter(name => name.endsWith('.test.ts')).sort().map(name => name.replace(/\.ts$/, ''));
    const required = [...readFileSync('test/vscode/web/index.ts', 'utf8').matchAll(/require\('\.\.\/suite\/([^']+)'\)/g)].map(m => m[1]);
    assert.deepEqual(required, files);
  });
});
