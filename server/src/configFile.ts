// Finding and reading `.kube-immutable.yaml`: the file-system half of the configuration, shared by the CLI
// and the language server (the model itself, validation and merging live in engine/config.ts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE_NAME, CONFIG_LIMITS, ConfigLayer, ConfigProblem, parseConfigFile } from './engine';
import { readRegularFileSync } from './files';

export interface LoadedConfigFile {
  path: string;
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

/** The nearest `.kube-immutable.yaml` in `dir` or a folder above it. */
export function findConfigFile(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** The text of a config file; throws when it cannot be read, is not a regular file or is too large to be one. */
export function readConfigText(path: string): string {
  const { text, size } = readRegularFileSync(path, CONFIG_LIMITS.maxLength);
  if (size > CONFIG_LIMITS.maxLength) throw new Error(`${size} bytes, more than a configuration file may hold (${CONFIG_LIMITS.maxLength})`);
  return text;
}

/** Reads and validates a config file; throws the file system's error when it cannot be read. */
export function readConfigFile(path: string): LoadedConfigFile {
  return { path, ...parseConfigFile(readConfigText(path)) };
}

/** `file:line:col: message`, 1-based, the way compilers print it. */
export function formatConfigProblem(path: string, problem: ConfigProblem): string {
  const at = problem.range ? `:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : '';
  return `${path}${at}: ${problem.message}`;
}
