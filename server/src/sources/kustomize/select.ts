// Selecting resources as a patch's `target` and a replacement's `select`/`reject` do: fields as exact values or
// anchored regular expressions, Kubernetes label selectors
// (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/).
import { Resource, groupVersionOf, kindOf, nameOf, namespaceOf } from './resource';
import { get, getString, KMap, KNode } from './tree';

/**
 * Whether a patch target or a replacement selector picks the resource: group, version and kind as written or as
 * regular expressions; name and namespace by the first name the resource had or its current one (`anyName`: by any
 * it had on the way, as replacements do); label and annotation selectors.
 */
export function selects(target: KMap, resource: Resource, anyName = false): boolean {
  const object = resource.object;
  const { group, version } = groupVersionOf(object);
  const want = (key: string) => getString(target, key);
  if (want('group') !== undefined && !matchesAny(want('group')!, [group])) return false;
  if (want('version') !== undefined && !matchesAny(want('version')!, [version])) return false;
  if (want('kind') !== undefined && !matchesAny(want('kind')!, [kindOf(object)])) return false;
  const name = want('name');
  if (name && !matchesAny(name, anyName ? resource.names : [resource.names[0], nameOf(object)])) return false;
  const namespace = want('namespace');
  if (namespace && !matchesAny(namespace, (anyName ? resource.namespaces : [resource.namespaces[0], namespaceOf(object)]).map((ns) => ns || 'default'))) return false;
  const labelSelector = want('labelSelector');
  if (labelSelector && !matchesSelector(labelSelector, get(get(object, 'metadata'), 'labels'))) return false;
  const annotationSelector = want('annotationSelector');
  if (annotationSelector && !matchesSelector(annotationSelector, get(get(object, 'metadata'), 'annotations'))) return false;
  return true;
}

function matchesAny(pattern: string, values: string[]): boolean {
  let regex: RegExp;
  try {
    // regex-check: a pattern the user wrote, run as written
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    return values.includes(pattern);
  }
  return values.some((value) => regex.test(value));
}

/** A Kubernetes label selector (`a=b,c!=d,e in (x,y),!f`) against a labels map. */
export function matchesSelector(selector: string, labels: KNode | undefined): boolean {
  const value = (key: string): string | undefined => getString(labels, key);
  const requirements = selector.split(/,(?![^(]*\))/).map((r) => r.trim()).filter(Boolean);
  return requirements.every((requirement) => {
    const match = requirement.match(/^(\S+?)\s+(in|notin)\s+\((.*)\)$/);
    if (match) {
      const options = match[3].split(',').map((o) => o.trim());
      const has = value(match[1]) !== undefined && options.includes(value(match[1])!);
      return match[2] === 'in' ? has : !has;
    }
    const equality = splitEquality(requirement);
    if (equality) return equality.operator === '!=' ? value(equality.key.trim()) !== equality.value.trim() : value(equality.key.trim()) === equality.value.trim();
    if (requirement.startsWith('!')) return value(requirement.slice(1).trim()) === undefined;
    return value(requirement) !== undefined;
  });
}

const isLineBreak = (char: string) => char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/**
 * `key op value` cut at the first `==`, `!=` or `=` after the key's first character, the blanks around the operator
 * dropped; undefined when there is none, or when the key or the value holds a line break.
 */
function splitEquality(text: string): { key: string; operator: string; value: string } | undefined {
  let firstBreak = text.length;
  let lastBreak = -1;
  for (let at = 0; at < text.length; at++) {
    if (!isLineBreak(text[at])) continue;
    firstBreak = Math.min(firstBreak, at);
    lastBreak = at;
  }
  let keyEnd = 1; // the key ends where the blanks before the operator begin, and holds one character at least
  for (let at = 1; at < text.length; at++) {
    if (/\s/.test(text[at])) continue;
    if (firstBreak < keyEnd) return undefined;
    for (const operator of ['==', '!=', '=']) {
      if (!text.startsWith(operator, at)) continue;
      let valueStart = at + operator.length;
      while (valueStart < text.length && /\s/.test(text[valueStart])) valueStart++;
      if (valueStart > lastBreak) return { key: text.slice(0, keyEnd), operator, value: text.slice(valueStart) };
    }
    keyEnd = at + 1;
  }
  return undefined;
}
