// Mocha's root hooks (.mocharc.json requires this file): the tests, and the CLIs and servers they start, make their
// temporary files in one folder of the run, removed when the run ends, so that runs leave nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = mkdtempSync(join(tmpdir(), 'kube-immutable-tests-'));
process.env.TMPDIR = folder;

export const mochaHooks = {
  afterAll(): void {
    rmSync(folder, { recursive: true, force: true });
  },
};
