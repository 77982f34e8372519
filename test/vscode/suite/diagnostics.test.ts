import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('plumbing', () => {
  it('runs inside VS Code', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });
  it('fails on purpose when asked', () => {
    assert.equal(process.env.KUBE_IMMUTABLE_FAIL_ON_PURPOSE, undefined);
  });
});
