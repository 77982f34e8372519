// The fixes that make a service immutable, written as minimal edits where the service's value is defined: a key
// the service reads from an anchor or from the base it extends is changed there, not copied into the service.
import { isScalar, isSeq, YAMLMap } from 'yaml';
import { EngineOptions, FixSpec, OffsetEdit } from '../rule';
import { FixChange } from '../types';
import { WritePath, writePathsForImage } from '../knowledge/imageWritePaths';
import { rootImageFor } from '../knowledge/rootImages';
import { fixOf } from '../fixes/containerFixes';
import { Value, ValueMap } from '../fixes/render';
import { editorFor, Unfixable, YamlEditor } from '../fixes/yamlEdits';
import { deref } from '../yamlNodes';
import { ComposeFile, ComposeService, literalString, serviceField, serviceFields, serviceLabel, serviceListItems, serviceReset } from './model';
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
  const field = serviceField(service, 'command');
  const command = field?.value;
  if (isSeq(command)) return command.items.flatMap(item => literalString(deref(item, field!.file.doc)) ?? []);
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

/** The editor of a file of the service, whose edits name the file when it is one of a project's. */
export function fileEditor(file: ComposeFile): { editor: YamlEditor; tag: (edits: OffsetEdit[]) => OffsetEdit[] } {
  return { editor: editorFor(file.text, file.doc), tag: edits => (file.path === undefined ? edits : edits.map(edit => ({ ...edit, file: file.path }))) };
}

/** Can the map be edited on its own? Not when it is anchored or under an anchor: the change would reach every alias of it. */
function editable(editor: YamlEditor, map: YAMLMap): boolean {
  try { editor.pathOf(map); return true; } catch (error) { if (error instanceof Unfixable) return false; throw error; }
}

/**
 * The map a key of the service is set in, and the value written there. The map that holds the service's nearest
 * definition of the key (an `extends` base, an older file), else the service's own map in its oldest file. A
 * definition in an anchored map stays as it is for the other services that merge it: the key is set in the map of
 * the service (or base) that merges the anchor, which overrides it there, with the anchor's list items copied
 * since a YAML merge key takes a key's value whole.
 */
function placeKey(service: ComposeService, key: string, value: Value): { file: ComposeFile; owner: YAMLMap; written: Value; copied?: number } {
  const field = serviceField(service, key);
  if (!field) return { file: service.file, owner: service.node, written: value };
  const own = service.layers[field.layer].maps[0];
  const moved = field.owner !== own && !editable(editorFor(field.file.text, field.file.doc), field.owner);
  const owner = moved ? own : field.owner;
  if (!Array.isArray(value)) return { file: field.file, owner, written: value };
  const items = isSeq(field.value) ? field.value.items.map(item => literalString(deref(item, field.file.doc)))
    : isScalar(field.value) && typeof field.value.value === 'string' ? [field.value.value] : [];
  if (!moved) return { file: field.file, owner, written: items.length && !isSeq(field.value) ? [...items as string[], ...value] : value };
  if (items.some(item => item === undefined)) throw new Unfixable('an anchored list with values that are not plain text');
  return { file: field.file, owner, written: [...items as string[], ...value], copied: items.length };
}

/**
 * The edits of a change: each key goes where placeKey says; a `tmpfs:` written as one path becomes a list.
 * Text the change removes is taken out first, and nothing is inserted inside it.
 */
export function serviceChangeEdits(service: ComposeService, change: ServiceChange): OffsetEdit[] {
  const byOwner = new Map<YAMLMap, { file: ComposeFile; values: ValueMap; copied: Map<string, number> }>();
  for (const [key, value] of Object.entries(change.set)) {
    // A value the service has already (`read_only: true` from an anchor, when hardening) is not written again.
    const current = serviceField(service, key)?.value;
    if (!Array.isArray(value) && isScalar(current) && current.value === value) continue;
    const { file, owner, written, copied } = placeKey(service, key, value);
    const entry = byOwner.get(owner) ?? { file, values: {} as ValueMap, copied: new Map<string, number>() };
    entry.values[key] = written;
    if (copied !== undefined) entry.copied.set(key, copied);
    byOwner.set(owner, entry);
  }
  const resets: OffsetEdit[] = [];
  for (const [key, value] of Object.entries(change.set)) {
    const reset = !serviceField(service, key) ? serviceReset(service, key) : undefined;
    if (!reset) continue;
    // `!reset` in an override file would remove the key again wherever else it was set: it is replaced by the value.
    removeFrom(byOwner, key);
    const { editor, tag } = fileEditor(reset.file);
    let edit = editor.replaceValue(reset.owner, reset.pair, value);
    const colon = editor.text.indexOf(':', reset.pair.key.range![1]);
    // The tag goes with the value it stands before (a scalar's range leaves it out).
    if (edit.start > colon + 1) edit = { ...edit, start: colon + 1, text: ` ${edit.text}` };
    // A list replaced by a list changes item by item, as the fix guard compares lists.
    if (isSeq(reset.value) && Array.isArray(value)) {
      const path = edit.changes![0].path;
      const old = reset.value.items.length;
      edit = { ...edit, changes: [
        ...value.map((item, i): FixChange => ({ path: [...path, i], kind: i < old ? 'edited' : 'set', ...(i < old ? {} : { value: item }) } as FixChange)),
        ...Array.from({ length: Math.max(0, old - value.length) }, (_, i): FixChange => ({ path: [...path, value.length + i], kind: 'removed' })),
      ] };
    }
    resets.push(...tag([edit]));
  }
  return [...(change.removed ?? []), ...resets, ...[...byOwner].flatMap(([owner, { file, values, copied }]) => {
    const { editor, tag } = fileEditor(file);
    const edits = editor.merge(owner, values, { removed: change.removed?.filter(edit => edit.file === file.path) });
    return tag(copied.size ? edits.map(edit => ({ ...edit, changes: edit.changes?.flatMap(c => appendedItems(c, copied)) })) : edits);
  })];
}

/** Takes a key out of the values to merge (it is set elsewhere). */
function removeFrom(byOwner: Map<YAMLMap, { values: ValueMap }>, key: string): void {
  for (const [owner, entry] of byOwner) {
    delete entry.values[key];
    if (!Object.keys(entry.values).length) byOwner.delete(owner);
  }
}

/**
 * A list set over one its anchor held, whose first items are the anchor's copied: to the parsed document, only
 * the items after them are new (the merge key gave the service the anchor's list before).
 */
function appendedItems(change: FixChange, copied: ReadonlyMap<string, number>): FixChange[] {
  const key = change.path[change.path.length - 1];
  const count = typeof key === 'string' ? copied.get(key) : undefined;
  if (change.kind !== 'set' || count === undefined || !Array.isArray(change.value)) return [change];
  return change.value.slice(count).map((value, i) => ({ path: [...change.path, count + i], kind: 'set', value }));
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
export function hardenServiceFix(service: ComposeService, options: EngineOptions): FixSpec | undefined {
  const set: ValueMap = { ...readOnlyWithTmpfs(service, options).set };
  const securityOpt = serviceListItems(service, 'security_opt').map(({ node }) => literalString(node) ?? '');
  // A `no-new-privileges:false` is the privilege-escalation fix's to turn around; another entry beside it would contradict it.
  if (!securityOpt.some(option => /^no-new-privileges\b/.test(option.trim()))) set.security_opt = [NO_NEW_PRIVILEGES];
  set.cap_drop = ['ALL'];
  if (serviceFields(service, 'privileged').some(field => isScalar(field.value) && field.value.value === true)) set.privileged = false;
  const caveat = switcherCaveat(service);
  const title = `Harden ${serviceLabel(service).replace(/^./, c => c.toLowerCase())}: read-only, no new privileges, no capabilities${caveat ? ` (${caveat})` : ''}`;
  return fixOf(title, () => serviceChangeEdits(service, { set }));
}
