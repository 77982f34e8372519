// The fixes that make a service immutable, written as minimal edits where the service's value is defined: a key
// the service reads from an anchor or from the base it extends is changed there, not copied into the service.
import { isScalar, isSeq, YAMLMap } from 'yaml';
import { EngineOptions, FixSpec, OffsetEdit } from '../rule';
import { WritePath, writePathsForImage } from '../knowledge/imageWritePaths';
import { rootImageFor } from '../knowledge/rootImages';
import { fixOf } from '../fixes/containerFixes';
import { Value, ValueMap } from '../fixes/render';
import { editorFor } from '../fixes/yamlEdits';
import { deref } from '../yamlNodes';
import { ComposeService, literalString, serviceField, serviceFields, serviceLabel, serviceListItems } from './model';
import { uncoveredServicePaths } from './volumes';

/** What a fix makes the service hold, key by key, and text it removes. */
export interface ServiceChange {
  set: ValueMap;
  removed?: OffsetEdit[];
}

/** A command string cut into words as Compose cuts it (shell quoting, no expansion): `--save ""` is `--save` and ``. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+/g)) {
    words.push(withoutQuotes(match[0]));
  }
  return words;
}

const isLineBreak = (char: string) => char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/** A word with its quotes taken off: `'...'` as written, `"..."` with each `\x` read as `x`; a quote never closed stays. */
function withoutQuotes(word: string): string {
  let out = '';
  let at = 0;
  while (at < word.length) {
    const char = word[at];
    if (char === "'") {
      const close = word.indexOf("'", at + 1);
      if (close >= 0) {
        out += word.slice(at + 1, close);
        at = close + 1;
        continue;
      }
    } else if (char === '"') {
      let text = '';
      let next = at + 1;
      while (next < word.length && word[next] !== '"') {
        if (word[next] !== '\\') text += word[next++];
        else if (next + 1 < word.length && !isLineBreak(word[next + 1])) {
          text += word[next + 1];
          next += 2;
        } else break;
      }
      if (word[next] === '"') {
        out += text;
        at = next + 1;
        continue;
      }
    }
    out += char;
    at++;
  }
  return out;
}

/** The words of `command` (a list, or a string): what the image's entrypoint is given. */
export function serviceArguments(service: ComposeService): string[] {
  const command = serviceField(service, 'command')?.value;
  if (isSeq(command)) return command.items.flatMap(item => literalString(deref(item, service.file.doc)) ?? []);
  const text = literalString(command);
  return text === undefined ? [] : shellWords(text);
}

/** The known write paths of the service's image that no volume or tmpfs covers, VOLUMEs of the image aside. */
export function missingServiceWritePaths(service: ComposeService, options: EngineOptions): WritePath[] {
  const paths = service.image ? writePathsForImage(service.image, options.imageWritePaths) : undefined;
  if (!paths) return [];
  const args = serviceArguments(service);
  // Docker mounts an anonymous volume at each VOLUME of the image, writable under read_only: true.
  const known = paths.filter(entry => !entry.declaredVolume && !entry.notWrittenWith?.(args));
  const uncovered = new Set(uncoveredServicePaths(service, known.map(entry => entry.path)));
  return known.filter(entry => uncovered.delete(entry.path));
}

/**
 * The edits of a change: each key goes to the map that holds the service's nearest definition of it (an
 * anchor, an `extends` base), else to the service's own map; a `tmpfs:` written as one path becomes a list.
 */
export function serviceChangeEdits(service: ComposeService, text: string, change: ServiceChange): OffsetEdit[] {
  const editor = editorFor(text, service.file.doc);
  const byOwner = new Map<YAMLMap, ValueMap>();
  for (const [key, value] of Object.entries(change.set)) {
    const field = serviceField(service, key);
    const owner = field?.owner ?? service.node;
    let written: Value = value;
    if (Array.isArray(value) && isScalar(field?.value) && typeof field.value.value === 'string') written = [field.value.value, ...value];
    byOwner.set(owner, { ...byOwner.get(owner), [key]: written });
  }
  const options = { removed: change.removed };
  return [...(change.removed ?? []), ...[...byOwner].flatMap(([owner, values]) => editor.merge(owner, values, options))];
}

/** `read_only: true`, with a tmpfs at each path the image is known to write that nothing covers. */
export function readOnlyWithTmpfs(service: ComposeService, options: EngineOptions): ServiceChange {
  const paths = missingServiceWritePaths(service, options).map(entry => entry.path);
  return { set: { read_only: true, ...(paths.length ? { tmpfs: paths } : {}) } };
}

export const NO_NEW_PRIVILEGES = 'no-new-privileges:true';

/** Does a `security_opt` entry turn no-new-privileges on (`no-new-privileges`, `:true` or `=true`)? */
export function setsNoNewPrivileges(option: string): boolean {
  return /^no-new-privileges(?:[:=]true)?$/.test(option.trim());
}

/** Why dropping ALL capabilities stops the service's image, when it is known to switch user after starting as root. */
export function switcherCaveat(service: ComposeService): string | undefined {
  const switcher = service.image ? rootImageFor(service.image)?.switchesTo : undefined;
  return switcher && `${service.image} then cannot switch to user ${switcher}`;
}

/**
 * "Harden this service": read-only root with tmpfs at the image's write paths, no-new-privileges, ALL capabilities
 * dropped, and not privileged. Never preferred: it changes several things. The user is left alone: its UID is the image's to say.
 */
export function hardenServiceFix(service: ComposeService, text: string, options: EngineOptions): FixSpec | undefined {
  const set: ValueMap = { ...readOnlyWithTmpfs(service, options).set };
  const securityOpt = serviceListItems(service, 'security_opt').map(({ node }) => literalString(node) ?? '');
  // A `no-new-privileges:false` is the privilege-escalation fix's to turn around; another entry beside it would contradict it.
  if (!securityOpt.some(option => /^no-new-privileges\b/.test(option.trim()))) set.security_opt = [NO_NEW_PRIVILEGES];
  set.cap_drop = ['ALL'];
  if (serviceFields(service, 'privileged').some(field => isScalar(field.value) && field.value.value === true)) set.privileged = false;
  const caveat = switcherCaveat(service);
  const title = `Harden ${serviceLabel(service).replace(/^./, c => c.toLowerCase())}: read-only, no new privileges, no capabilities${caveat ? ` (${caveat})` : ''}`;
  return fixOf(title, () => serviceChangeEdits(service, text, { set }));
}
