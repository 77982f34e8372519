// A template's text read by its lines, without parsing it as YAML (it is not): the block of keys a rendered map
// came from, and how each key of that block is written there (literal text, or `toYaml` of a value). Charts
// write a container as `- name: ...` with keys below it at one column, and a values-driven block as
//   {{- with .Values.securityContext }}        or   securityContext:
//   securityContext:                                  {{- toYaml .Values.securityContext | nindent 12 }}
//     {{- toYaml . | nindent 12 }}
// which is what `helm create` writes and most charts copy.

/** A line of a template: where it starts and ends, the column of its key, and that key. */
interface TemplateLine {
  start: number;
  end: number;
  /** The column of the line's content after its indentation and any `- ` of a sequence item. */
  keyColumn: number;
  /** The line starts a sequence item (`- name: web`). */
  item: boolean;
  key?: string;
  /** Only template actions (`{{- with ... }}`, `{{- end }}`) and blanks: no text of its own. */
  actionsOnly: boolean;
  blank: boolean;
}

const KEY = /^([A-Za-z_][\w.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?=[ \t]|$)/;
/** A line of template actions only (`{{- with .Values.x }}`, `{{- end }}`), blanks around them. */
function actionsOnly(line: string): boolean {
  let at = 0;
  let actions = 0;
  for (;;) {
    while (line[at] === ' ' || line[at] === '\t') at++;
    if (at === line.length) return actions > 0;
    if (!line.startsWith('{{', at)) return false;
    const end = line.indexOf('}}', at + 2);
    if (end < 0) return false;
    at = end + 2;
    actions++;
  }
}

/** The values path after `toYaml` in an action (`toYaml .Values.x.y`, `toYaml (.Values.x)`), if any. */
function toYamlValuesPath(action: string): string[] | undefined {
  for (let at = action.indexOf('toYaml'); at >= 0; at = action.indexOf('toYaml', at + 6)) {
    let i = at + 6;
    while (action[i] === ' ' || action[i] === '\t' || action[i] === '(') i++;
    const path = /\.Values((?:\.\w+)+)/y;
    path.lastIndex = i;
    const found = path.exec(action);
    if (found) return found[1].slice(1).split('.');
  }
  return undefined;
}

function readLine(text: string, start: number): TemplateLine {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  let at = 0;
  while (line[at] === ' ') at++;
  let item = false;
  while (line[at] === '-' && (line[at + 1] === ' ' || at + 1 === line.length)) {
    item = true;
    at += 2;
    while (line[at] === ' ') at++;
  }
  const key = KEY.exec(line.slice(at))?.[1].replace(/^["']|["']$/g, '');
  return { start, end, keyColumn: at, item, key, actionsOnly: actionsOnly(line), blank: !line.trim() };
}

/** Every line of a template. */
function linesOf(text: string): TemplateLine[] {
  const lines: TemplateLine[] = [];
  for (let start = 0; start <= text.length; ) {
    const line = readLine(text, start);
    lines.push(line);
    start = line.end + 1;
  }
  return lines;
}

/** How a key of a block is written in the template. */
export type KeyBinding =
  /** `toYaml` of `.Values.<path>` (directly, or as `.` inside `with .Values.<path>`): the values decide the block. */
  | { kind: 'values'; path: string[]; keyStart: number; keyEnd: number }
  /** The key and its value are template text. */
  | { kind: 'literal'; keyStart: number; keyEnd: number; line: number };

/** The keys written at one column, from a line of the block to the first line that is outside it. */
export class TemplateBlock {
  private constructor(
    readonly text: string,
    private readonly lines: TemplateLine[],
    /** Indexes of the block's first and last line. */
    readonly first: number,
    readonly last: number,
    readonly column: number,
  ) {}

  /** The block of keys at the column of the key at `offset` (a literal key of the rendered map). */
  static at(text: string, offset: number): TemplateBlock | undefined {
    const lines = linesOf(text);
    const index = lines.findIndex(line => line.start <= offset && offset <= line.end);
    const line = lines[index];
    if (!line || line.key === undefined || offset !== line.start + line.keyColumn) return undefined;
    const column = line.keyColumn;
    const inside = (l: TemplateLine) => l.blank || l.actionsOnly || l.keyColumn > column || (l.keyColumn === column && !l.item);
    let first = index;
    if (!line.item) {
      while (first > 0 && inside(lines[first - 1])) first--;
      // The block's item line (`- name: web`) belongs to it; a parent key above it does not.
      if (first > 0 && lines[first - 1].item && lines[first - 1].keyColumn === column) first--;
    }
    let last = index;
    while (last + 1 < lines.length && inside(lines[last + 1])) last++;
    return new TemplateBlock(text, lines, first, last, column);
  }

  /** How `key` is written in the block; undefined when the block does not write it. */
  binding(key: string): KeyBinding | undefined {
    for (let i = this.first; i <= this.last; i++) {
      const line = this.lines[i];
      if (line.key !== key || line.keyColumn !== this.column || line.actionsOnly) continue;
      const keyStart = line.start + line.keyColumn;
      const keyEnd = keyStart + key.length;
      const after = this.text.slice(this.text.indexOf(':', keyEnd) + 1, line.end);
      const next = this.lines.slice(i + 1, this.last + 1).find(l => !l.blank);
      const action = /\{\{/.test(after) ? after : next?.actionsOnly && next.keyColumn > this.column ? this.text.slice(next.start, next.end) : undefined;
      const path = action !== undefined ? this.toYamlPath(action, i) : undefined;
      return path ? { kind: 'values', path, keyStart, keyEnd } : { kind: 'literal', keyStart, keyEnd, line: i };
    }
    return undefined;
  }

  /** The values path that `toYaml` prints in an action: `.Values.x.y`, or `.` inside a `with .Values.x.y` just above the key. */
  private toYamlPath(action: string, keyLine: number): string[] | undefined {
    const direct = toYamlValuesPath(action);
    if (direct) return direct;
    if (!/\btoYaml\s+\.\s*[|)}]/.test(action)) return undefined;
    for (let i = keyLine - 1; i >= 0; i--) {
      const line = this.lines[i];
      if (line.blank) continue;
      const within = line.actionsOnly ? /\{\{-?\s*with\s+\.Values((?:\.\w+)+)\s*-?\}\}/.exec(this.text.slice(line.start, line.end)) : null;
      return within ? within[1].slice(1).split('.') : undefined;
    }
    return undefined;
  }

  /** The offsets of the block's header: its item line (`- name: web`), else the parent key's line above it. */
  header(): { start: number; end: number } | undefined {
    const first = this.lines[this.first];
    if (first.item && first.keyColumn === this.column) return this.lineContent(first);
    for (let i = this.first - 1; i >= 0; i--) {
      const line = this.lines[i];
      if (line.blank || line.actionsOnly) continue;
      return line.keyColumn < this.column && line.key !== undefined ? this.lineContent(line) : undefined;
    }
    return undefined;
  }

  /** A line's content from its key to its last character that is not blank. */
  private lineContent(line: TemplateLine): { start: number; end: number } {
    let end = line.end;
    while (end > line.start && /\s/.test(this.text[end - 1])) end--;
    return { start: line.start + line.keyColumn, end };
  }

  /**
   * Where a new key of the block goes: after the line of its first key when that key's value is on its own line
   * (`- name: web`, `runAsNonRoot: true`), so the new key is on a line of its own at the block's column.
   */
  insertionAfterFirstKey(): number | undefined {
    const first = this.lines[this.first];
    const next = this.lines[this.first + 1];
    if (first.key === undefined || first.keyColumn !== this.column) return undefined;
    if (next && !next.blank && !next.actionsOnly && next.keyColumn > this.column && this.first + 1 <= this.last) return undefined;
    return first.end;
  }
}
