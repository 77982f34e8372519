// Checks the fast block-YAML reader against the full parser on every YAML file of a folder: the same nodes, the
// same values and the same spans, or a fall-back to the full parser. A disagreement is a bug of the fast reader.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readBlockYaml } from '../../server/src/sources/kustomize/blockYaml';
import { loadWithFullParser } from '../../server/src/sources/kustomize/load';
import { KNode } from '../../server/src/sources/kustomize/tree';

export interface FastReaderReport {
  agreed: number;
  fellBack: number;
  disagreements: string[];
}

export function checkFastReader(folder: string): FastReaderReport {
  const report: FastReaderReport = { agreed: 0, fellBack: 0, disagreements: [] };
  for (const file of yamlFiles(folder)) {
    const text = readFileSync(file, 'utf8');
    let full: KNode[];
    try {
      full = loadWithFullParser(text, file);
    } catch {
      continue; // broken on purpose (expectError cases), or refused: nothing to agree on
    }
    const fast = readBlockYaml(text, file, (offset) => offset);
    if (!fast) {
      report.fellBack++;
      continue;
    }
    const difference = compare(fast, full, '');
    if (difference) report.disagreements.push(`${file}: ${difference}`);
    else report.agreed++;
  }
  return report;
}

function yamlFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$|^Kustomization$/.test(name) ? [path] : [];
  });
}

function compare(fast: KNode | KNode[], full: KNode | KNode[], path: string): string | undefined {
  if (Array.isArray(fast) || Array.isArray(full)) {
    const [a, b] = [fast as KNode[], full as KNode[]];
    if (a.length !== b.length) return `${path}: ${a.length} documents != ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = compare(a[i], b[i], `${path}#${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (fast.kind !== full.kind) return `${path}: ${fast.kind} != ${full.kind}`;
  const [fs, ss] = [fast.origins[0]?.span, full.origins[0]?.span];
  if (fs?.start !== ss?.start || fs?.end !== ss?.end) return `${path}: span ${fs?.start}-${fs?.end} != ${ss?.start}-${ss?.end}`;
  if (fast.kind === 'scalar' && full.kind === 'scalar') {
    if (fast.plain !== full.plain || fast.raw !== full.raw || !Object.is(fast.value, full.value)) return `${path}: ${JSON.stringify([fast.plain, fast.raw])} != ${JSON.stringify([full.plain, full.raw])}`;
    return undefined;
  }
  if (fast.kind === 'seq' && full.kind === 'seq') {
    if (fast.items.length !== full.items.length) return `${path}: ${fast.items.length} items != ${full.items.length}`;
    for (let i = 0; i < fast.items.length; i++) {
      const d = compare(fast.items[i], full.items[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (fast.kind === 'map' && full.kind === 'map') {
    const keys = (n: typeof fast) => n.entries.map((e) => e.key).join(',');
    if (keys(fast) !== keys(full)) return `${path}: keys ${keys(fast)} != ${keys(full)}`;
    for (let i = 0; i < fast.entries.length; i++) {
      const d = compare(fast.entries[i].value, full.entries[i].value, `${path}/${fast.entries[i].key}`);
      if (d) return d;
    }
  }
  return undefined;
}
