// The npm package as a user gets it: packed from the bundles that `npm run build` made, then installed into an
// empty folder without the registry (it has no dependencies). Done once per test run and shared by the tests
// of the package, the pre-commit hook and the CI action.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

export interface InstalledPackage {
  /** What `npm pack --json` says about the tarball: its files with their sizes, and its packed size. */
  pack: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };
  tarball: string;
  /** The folder the tarball was installed into, with its node_modules and package-lock.json. */
  project: string;
  /** What `npm install` printed. */
  installOutput: string;
}

let installed: InstalledPackage | undefined;

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function mustRun(command: string, args: string[], cwd: string) {
  const result = run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return result;
}

export function installedPackage(): InstalledPackage {
  if (installed) return installed;
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-npm-'));
  // --ignore-scripts: pack the bundles this run built and tests, instead of building them again (prepack).
  const [pack] = JSON.parse(mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT).stdout);
  const tarball = join(dir, pack.filename);
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'project', private: true }));
  const install = mustRun('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], project);
  const installOutput = install.stdout + install.stderr;
  installed = { pack, tarball, project, installOutput };
  return installed;
}
