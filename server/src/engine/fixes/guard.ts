// The check every fix passes before it is offered: its result parses as the analysis parses it, and differs
// from the text it was computed on exactly at the paths the fix names (see semanticCheck.ts), with no
// volumeMount left naming a volume its pod lacks. A fix that fails it is a bug, never the user's problem.
import { Document } from 'yaml';
import { parseBounded } from '../limits';
import { FixSpec } from '../rule';
import { FixChange } from '../types';
import { applyOffsetEdits } from './apply';
import { danglingVolumeMounts, diffObjects, formatPath, unexplainedDifferences } from './semanticCheck';

/** The documents of a text parsed as the analysis parses them, or why they cannot be. */
export function parseForCheck(text: string): Document[] | string {
  const docs = parseBounded(text, { version: '1.1' });
  if (!Array.isArray(docs)) return 'it nests too deeply';
  const broken = docs.find(doc => doc.errors.length);
  return broken ? `it is not valid YAML: ${broken.errors[0].message.split('\n')[0]}` : docs;
}

/** A document as the plain object Kubernetes would receive. Aliases are expanded: analysis bounded them already. */
export function documentValue(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}

/**
 * What is wrong with `after` as the text of `before` (documents and their values) with `changesOf(i)` made to
 * its i-th document; empty when nothing is.
 */
export function resultProblems(before: readonly unknown[], after: string, changesOf: (index: number) => readonly FixChange[]): string[] {
  const docs = parseForCheck(after);
  if (typeof docs === 'string') return [`the result does not parse: ${docs}`];
  if (docs.length !== before.length) return [`the result has ${docs.length} documents instead of ${before.length}`];
  return docs.flatMap((doc, i) => {
    const value = documentValue(doc);
    const changes = changesOf(i);
    if (!changes.length) return diffObjects(before[i], value).map(d => `document ${i + 1} changed at ${formatPath(d.path)}`);
    const dangling = new Set(danglingVolumeMounts(before[i]));
    return [
      ...unexplainedDifferences(before[i], value, changes),
      ...danglingVolumeMounts(value).filter(mount => !dangling.has(mount)).map(mount => `${mount} names no volume of its pod`),
    ];
  });
}

/** Checks the fixes offered on one document of a chunk: `docs` are the chunk's documents, `index` the document's. */
export class FixGuard {
  private values?: unknown[];

  constructor(private readonly text: string, private readonly docs: readonly Document[], private readonly index: number) {}

  /** Why `fix` must not be offered, or undefined when it may be. */
  problem(fix: FixSpec): string | undefined {
    let after: string;
    try { after = applyOffsetEdits(this.text, fix.edits); } catch (error) { return (error as Error).message; }
    this.values ??= this.docs.map(documentValue);
    const problems = resultProblems(this.values, after, i => (i === this.index ? fix.changes : []));
    return problems.length ? problems.join('; ') : undefined;
  }
}
