// Which Pod Security Standard each namespace applies, from the `pod-security.kubernetes.io/<mode>` labels of the
// Namespace objects a host finds (in any file it lints) and from the configuration, for namespaces that live
// outside the repository. https://kubernetes.io/docs/concepts/security/pod-security-admission/
import { isMap, LineCounter } from 'yaml';
import { parseBounded } from '../limits';
import { Position, Range } from '../types';
import { findPair, getMap, getString, spanOf } from '../yamlNodes';
import { isLevel, LATEST, Level, Mode, MODES, parseVersion, Version } from './levels';

/** Where a namespace's level is set: a label of a Namespace in a file, or the configuration. */
export interface PolicySource {
  /** `pod-security.kubernetes.io/enforce: restricted`, or `podSecurity.namespaces.prod: restricted`. */
  setting: string;
  /** The file of the Namespace, as the host names it (a path or a URI), and the label's range there. */
  file?: string;
  range?: Range;
}

export interface ModePolicy { level: Level; version: Version; source: PolicySource }

export type NamespacePolicy = Partial<Record<Mode, ModePolicy>>;

/** The policy of each namespace by name; `*` applies to a namespace that has none of its own. */
export type NamespacePolicies = Record<string, NamespacePolicy>;

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const ANY_NAMESPACE = '*';

/**
 * A mode's policy from its labels, as pod-security-admission reads them: a level that is not one of the three
 * is taken as restricted, and a version that is not `latest` or `v1.<minor>` as latest (the library's
 * api.PolicyToEvaluate falls back the same way).
 */
function modePolicy(level: string, version: string | undefined, source: PolicySource): ModePolicy {
  return { level: isLevel(level) ? level : 'restricted', version: parseVersion(version) ?? LATEST, source };
}

/**
 * The Namespaces with Pod Security labels in a stream of YAML documents; a text without such a label is not parsed.
 * `firstLine`: the line of the file the text starts at (a chunk of a stream), for the labels' ranges.
 */
export function namespacePoliciesIn(text: string, file?: string, firstLine = 0): NamespacePolicies {
  const policies: NamespacePolicies = {};
  if (!text.includes(LABEL_PREFIX) || !/^kind:[ \t]*["']?Namespace\b/m.test(text)) return policies;
  // Bounded like the analysis (nesting depth, duplicate keys in linear time): a hostile text yields no namespaces,
  // and the analysis of the same text reports why.
  const docs = parseBounded(text, { version: '1.1' });
  if (!Array.isArray(docs)) return policies;
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: firstLine + line - 1, character: col - 1 };
  };
  for (const doc of docs) {
    if (doc.errors.length || !isMap(doc.contents) || getString(doc.contents, 'kind', doc) !== 'Namespace') continue;
    const metadata = getMap(doc.contents, 'metadata', doc);
    const name = getString(metadata, 'name', doc);
    const labels = getMap(metadata, 'labels', doc);
    if (!name || !labels) continue;
    const policy: NamespacePolicy = {};
    for (const mode of MODES) {
      const key = `${LABEL_PREFIX}${mode}`;
      const level = getString(labels, key, doc);
      const pair = findPair(labels, key);
      if (level === undefined || !pair) continue;
      const [start, end] = spanOf(pair);
      policy[mode] = modePolicy(level, getString(labels, `${key}-version`, doc), { setting: `${key}: ${level}`, file, range: { start: at(start), end: at(end) } });
    }
    if (Object.keys(policy).length) policies[name] = policy;
  }
  return policies;
}

/** The policies the configuration names (`podSecurity.namespaces`), each enforcing its level at latest. */
export function configuredPolicies(levels: Record<string, Level>): NamespacePolicies {
  return Object.fromEntries(Object.entries(levels).map(([namespace, level]) => [
    namespace, { enforce: { level, version: LATEST, source: { setting: `podSecurity.namespaces.${namespace}: ${level} in the configuration` } } },
  ]));
}

/** The policy that applies to a pod in `namespace` (undefined: none is known), `*` for one without a namespace. */
export function policyFor(policies: NamespacePolicies, namespace: string | undefined): NamespacePolicy | undefined {
  return (namespace !== undefined ? policies[namespace] : undefined) ?? policies[ANY_NAMESPACE];
}

/** Policies from several files in one: for a namespace defined twice, the later file wins, as with `kubectl apply`. */
export function mergePolicies(found: readonly NamespacePolicies[]): NamespacePolicies {
  return Object.assign({}, ...found);
}

/**
 * The options with the policies of the Namespaces found in the linted files added; a namespace defined there
 * wins over the configuration's entry for it. The same options come back when there is nothing to add.
 */
export function withNamespacePolicies<T extends { podSecurity?: NamespacePolicies }>(options: T, found: NamespacePolicies): T {
  return Object.keys(found).length ? { ...options, podSecurity: { ...options.podSecurity, ...found } } : options;
}
