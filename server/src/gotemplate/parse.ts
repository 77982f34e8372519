// The parser of Go's text/template (text/template/parse, parse.go and node.go): the same tree, the same checks
// (undefined functions and variables, break outside range, duplicate defines) and the same error texts,
// `template: NAME:LINE: MESSAGE`. Each node keeps its offset in the text, so execution errors name line and
// column as Go does and the source map can name the span of every action.

import { goQuote, isKeyword, lex, Token, TokenType } from './lex';

export interface Position {
  /** Offset of the node in its template text, as Go's Pos. */
  pos: number;
}

export type Node =
  | TextNode | CommentNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode | ListNode;

export type ArgNode =
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | PipeNode;

export interface ListNode extends Position { type: 'list'; nodes: Node[] }
export interface TextNode extends Position { type: 'text'; text: string }
export interface CommentNode extends Position { type: 'comment'; text: string }
/** `{{pipeline}}`; `start`/`end` span the whole action with its delimiters, for the source map. */
export interface ActionNode extends Position { type: 'action'; pipe: PipeNode; start: number; end: number }
export interface BreakNode extends Position { type: 'break' }
export interface ContinueNode extends Position { type: 'continue' }
export interface IfNode extends Position { type: 'if'; pipe: PipeNode; list: ListNode; elseList?: ListNode }
export interface WithNode extends Position { type: 'with'; pipe: PipeNode; list: ListNode; elseList?: ListNode }
export interface RangeNode extends Position { type: 'range'; pipe: PipeNode; list: ListNode; elseList?: ListNode }
export interface TemplateNode extends Position { type: 'template'; name: string; pipe?: PipeNode; start: number; end: number }
export interface PipeNode extends Position { type: 'pipe'; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Position { type: 'command'; args: ArgNode[] }
/** `start`: where the whole expression begins, when Go's pos is that of its second part (`.a` of `.Values.a`). */
export interface FieldNode extends Position { type: 'field'; ident: string[]; start?: number }
export interface VariableNode extends Position { type: 'variable'; ident: string[]; start?: number }
export interface ChainNode extends Position { type: 'chain'; node: ArgNode; field: string[]; start?: number }
export interface IdentifierNode extends Position { type: 'identifier'; ident: string }
export interface DotNode extends Position { type: 'dot' }
export interface NilNode extends Position { type: 'nil' }
export interface BoolNode extends Position { type: 'bool'; value: boolean }
/** A number constant: `value` is what Go's idealConstant gives (int as bigint, float as number). */
export interface NumberNode extends Position { type: 'number'; text: string; value: bigint | number }
export interface StringNode extends Position { type: 'string'; quoted: string; text: string }

/** One parsed template: its name, the file (ParseName) and text it was parsed from, and its tree. */
export interface Tree {
  name: string;
  parseName: string;
  text: string;
  root: ListNode;
}

/** A parse error with Go's message; `location` is the token at fault in the template's file. */
export class ParseError extends Error {
  constructor(message: string, readonly location?: { file: string; start: number; end: number }) {
    super(message);
  }
}

interface ParseContext {
  parseName: string;
  /** The path errors name in their location. */
  file: string;
  text: string;
  hasFunction(name: string): boolean;
}

/**
 * Parses `text` (the file `name`) into its trees: the top-level one named `name` and one per define/block.
 * Throws a ParseError with Go's message.
 */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean, file: string = name): Map<string, Tree> {
  const parser = new Parser(lex(text), { parseName: name, file, text, hasFunction });
  return parser.parseFile(name);
}

/** Texts parsed by parseTemplateOnce, by name and text, with the functions each names; emptied when full. */
const parsedTexts = new Map<string, { trees: Map<string, Tree>; functions: string[] }>();
const MAX_PARSED_TEXTS = 1000;

/**
 * parseTemplate, remembered: the same text under the same name (a chart rendered again after an edit of another
 * of its files) is parsed once. Nothing changes a tree once it is made, so template sets share them; a text that
 * names a function this set lacks is parsed again for its error, and a text that fails is never remembered.
 */
export function parseTemplateOnce(name: string, text: string, hasFunction: (name: string) => boolean, file: string = name): Map<string, Tree> {
  const key = `${name}\0${text}`;
  const known = parsedTexts.get(key);
  if (known && known.functions.every(hasFunction)) return known.trees;
  const functions = new Set<string>();
  const trees = parseTemplate(name, text, fn => { functions.add(fn); return hasFunction(fn); }, file);
  if (parsedTexts.size >= MAX_PARSED_TEXTS) parsedTexts.clear();
  parsedTexts.set(key, { trees, functions: [...functions] });
  return trees;
}

/** Whether a tree holds nothing but space and comments (Go's IsEmptyTree): it never replaces a definition. */
export function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((node) => (node.type === 'text' && node.text.trim() === '') || node.type === 'comment');
}

class Parser {
  private index = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly trees = new Map<string, Tree>();

  constructor(private readonly tokens: Token[], private readonly context: ParseContext) {}

  parseFile(name: string): Map<string, Tree> {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.index = this.tokens.indexOf(delim);
      }
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') this.fail(`unexpected ${controlString(node)}`);
      root.nodes.push(node as Node);
    }
    this.add({ name, parseName: this.context.parseName, text: this.context.text, root });
    return this.trees;
  }

  private add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.fail(`template: multiple definition of template ${goQuote(tree.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.expectOneOf(['string', 'rawString'], context);
    const name = unquote(nameToken.value, (message) => this.fail(message));
    this.expect('rightDelim', context);
    const saved = this.vars;
    this.vars = ['$'];
    const [root, end] = this.itemList();
    this.vars = saved;
    if (end.type !== 'end') this.fail(`unexpected ${controlString(end)} in ${context}`);
    this.add({ name, parseName: this.context.parseName, text: this.context.text, root });
  }

  // ---- tokens ----

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1];
  }

  private next(): Token {
    const token = this.peek();
    this.current = token;
    this.index++;
    return token;
  }

  private backup(): void {
    this.index--;
  }

  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    if (token.type === 'error') this.unexpected(token, '');
    return token;
  }

  private current: Token | undefined;

  private expect(type: TokenType, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(types: TokenType[], context: string): Token {
    const token = this.nextNonSpace();
    if (!types.includes(token.type)) this.unexpected(token, context);
    return token;
  }

  private fail(message: string): never {
    const token = this.current ?? this.peek();
    const start = Math.min(token.pos, this.context.text.length);
    throw new ParseError(`template: ${this.context.parseName}:${token.line}: ${message}`, {
      file: this.context.file, start, end: Math.min(this.context.text.length, start + Math.max(token.value.length, 1)),
    });
  }

  private unexpected(token: Token, context: string): never {
    this.current = token;
    if (token.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.context.parseName}:${this.actionLine}`;
        if (token.value.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.fail(`${token.value}${extra}`);
    }
    this.fail(`unexpected ${tokenString(token)} in ${context}`);
  }

  // ---- lists and actions ----

  private itemList(): [ListNode, ControlNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') return [list, node];
      list.nodes.push(node as Node);
    }
    this.current = this.peek();
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node | ControlNode {
    const token = this.nextNonSpace();
    this.current = token;
    switch (token.type) {
      case 'text':
        return { type: 'text', pos: token.pos, text: token.value };
      case 'leftDelim': {
        this.actionLine = token.line;
        try {
          return this.action(token);
        } finally {
          this.actionLine = 0;
        }
      }
      case 'comment':
        return { type: 'comment', pos: token.pos, text: token.value };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(delim: Token): Node | ControlNode {
    const token = this.nextNonSpace();
    this.current = token;
    switch (token.type) {
      case 'block':
        return this.blockControl(delim);
      case 'break':
      case 'continue': {
        const close = this.nextNonSpace();
        if (close.type !== 'rightDelim') this.unexpected(close, `{{${token.type}}}`);
        if (this.rangeDepth === 0) this.fail(`{{${token.type}}} outside {{range}}`);
        return { type: token.type, pos: token.pos };
      }
      case 'else': {
        const peek = this.peekNonSpace();
        if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos };
        return { type: 'else', pos: this.expect('rightDelim', 'else').pos };
      }
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'with':
      case 'range':
        return this.control(token.type);
      case 'template':
        return this.templateControl(delim);
    }
    this.backup();
    const first = this.peekNonSpace();
    const pipe = this.pipeline('command', 'rightDelim');
    return { type: 'action', pos: first.pos, pipe, start: delim.pos, end: this.actionEnd() };
  }

  /** The offset just after the `}}` that closed the action. */
  private actionEnd(): number {
    const close = this.tokens[this.index - 1];
    return close.pos + close.value.length;
  }

  private control(kind: 'if' | 'with' | 'range'): IfNode | WithNode | RangeNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const [list, first] = this.itemList();
    let next = first;
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.type === 'else') {
      const peek = this.peek();
      if ((kind === 'if' && peek.type === 'if') || (kind === 'with' && peek.type === 'with')) {
        // {{else if b}} is {{else}}{{if b}}...{{end}}{{end}}: the nested one takes the {{end}}.
        this.next();
        elseList = { type: 'list', pos: next.pos, nodes: [this.control(kind)] };
      } else {
        [elseList, next] = this.itemList();
        if (next.type !== 'end') this.fail(`expected end; found ${controlString(next)}`);
      }
    }
    this.vars.length = mark;
    return { type: kind, pos: pipe.pos, pipe, list, elseList } as IfNode | WithNode | RangeNode;
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return unquote(token.value, (message) => this.fail(message));
  }

  private templateControl(delim: Token): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, name, pipe, start: delim.pos, end: this.actionEnd() };
  }

  private blockControl(delim: Token): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const end = this.actionEnd();
    const saved = this.vars;
    this.vars = ['$'];
    const [root, next] = this.itemList();
    this.vars = saved;
    if (next.type !== 'end') this.fail(`unexpected ${controlString(next)} in ${context}`);
    this.add({ name, parseName: this.context.parseName, text: this.context.text, root });
    return { type: 'template', pos: token.pos, name, pipe, start: delim.pos, end };
  }

  // ---- pipelines ----

  private pipeline(context: string, end: TokenType): PipeNode {
    const pipe: PipeNode = { type: 'pipe', pos: this.peekNonSpace().pos, isAssign: false, decl: [], cmds: [] };
    let variable = this.peekNonSpace();
    while (variable.type === 'variable') {
      const at = this.index;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: variable.pos, ident: [variable.value] });
        this.vars.push(variable.value);
        break;
      }
      if (next.type === 'char' && next.value === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: variable.pos, ident: [variable.value] });
        this.vars.push(variable.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace();
          if (after.type === 'variable' || after.type === 'rightDelim' || after.type === 'rightParen') {
            variable = after;
            continue;
          }
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.index = at;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      this.current = token;
      switch (token.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const first = cmd.args[0].type;
      if (first === 'bool' || first === 'dot' || first === 'nil' || first === 'number' || first === 'string') {
        this.fail(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      this.current = token;
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    let node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().value.slice(1));
    switch (node.type) {
      case 'field':
        node = { type: 'field', pos: chainPos, ident: [...node.ident, ...fields], start: node.pos };
        break;
      case 'variable':
        node = { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields], start: node.pos };
        break;
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.fail(`unexpected . after term ${goQuote(argString(node))}`);
      // eslint-disable-next-line no-fallthrough
      default:
        node = { type: 'chain', pos: chainPos, node, field: fields, start: node.pos };
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    this.current = token;
    switch (token.type) {
      case 'identifier':
        if (!this.context.hasFunction(token.value)) this.fail(`function ${goQuote(token.value)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.value };
      case 'dot':
        return { type: 'dot', pos: token.pos };
      case 'nil':
        return { type: 'nil', pos: token.pos };
      case 'variable':
        if (!this.vars.includes(token.value)) this.fail(`undefined variable ${goQuote(token.value)}`);
        return { type: 'variable', pos: token.pos, ident: [token.value] };
      case 'field':
        return { type: 'field', pos: token.pos, ident: [token.value.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: token.pos, value: token.value === 'true' };
      case 'charConstant':
      case 'number':
        return { type: 'number', pos: token.pos, text: token.value, value: this.number(token) };
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, quoted: token.value, text: unquote(token.value, (message) => this.fail(message)) };
    }
    this.backup();
    return undefined;
  }

  /** The number's value as Go's idealConstant gives it: a float for float syntax, else an int. */
  private number(token: Token): bigint | number {
    const text = token.value;
    if (token.type === 'charConstant') {
      const s = unquote(text, (message) => this.fail(message));
      return BigInt(s.codePointAt(0) ?? 0);
    }
    if (text.endsWith('i')) this.fail(`complex constants are not supported: ${goQuote(text)}`);
    const clean = text.replace(/_/g, '');
    const isHexInt = /^[+-]?0[xX]/.test(clean) && !/[pP]/.test(clean);
    if (!isHexInt && /[.eEpP]/.test(clean)) {
      const value = /^[+-]?0[xX]/.test(clean) ? parseHexFloat(clean) : Number(clean);
      if (Number.isNaN(value)) this.fail(`illegal number syntax: ${goQuote(text)}`);
      return value;
    }
    const negative = clean.startsWith('-');
    const body = clean.replace(/^[+-]/, '');
    let digits = body;
    if (/^0[0-7]+$/.test(body)) digits = '0o' + body.slice(1);
    else if (/^0[oO]/.test(body)) digits = '0o' + body.slice(2);
    let value: bigint;
    try {
      value = BigInt(digits);
    } catch {
      this.fail(`illegal number syntax: ${goQuote(text)}`);
    }
    if (negative) value = -value;
    if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) this.fail(`${text} overflows int`);
    return value;
  }
}

type ControlNode = { type: 'end' | 'else'; pos: number };

function controlString(node: Node | ControlNode): string {
  if (node.type === 'end') return '{{end}}';
  if (node.type === 'else') return '{{else}}';
  return nodeString(node as Node);
}

function parseHexFloat(text: string): number {
  const match = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(text);
  if (!match) return NaN;
  const mantissa = parseInt((match[2] || '0') + (match[3] ?? ''), 16) / 16 ** (match[3]?.length ?? 0);
  return (match[1] === '-' ? -1 : 1) * mantissa * 2 ** Number(match[4]);
}

function tokenString(token: Token): string {
  if (token.type === 'eof') return 'EOF';
  if (token.type === 'error') return token.value;
  if (isKeyword(token.type)) return `<${token.value}>`;
  if ([...token.value].length > 10) return `${goQuote([...token.value].slice(0, 10).join('')).slice(0, -1)}"...`;
  return goQuote(token.value);
}

/** Go's strconv.Unquote for "..." and `...` and '...' literals. */
export function unquote(literal: string, fail: (message: string) => never): string {
  const quote = literal[0];
  if (quote === '`') return literal.slice(1, -1).replace(/\r/g, '');
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (e in simple) {
      if ((e === '"' && quote === "'") || (e === "'" && quote === '"')) fail('invalid syntax');
      out += simple[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) fail('invalid syntax');
      const code = parseInt(hex, 16);
      if (e === 'x') out += String.fromCharCode(code);
      else out += String.fromCodePoint(code);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) fail('invalid syntax');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      fail('invalid syntax');
    }
  }
  if (quote === "'" && [...out].length !== 1) fail('invalid syntax');
  return out;
}

// ---- Go's String() of nodes, used in execution errors (`at <.Values.x>`) ----

export function nodeString(node: Node | ArgNode | CommandNode | ListNode): string {
  switch (node.type) {
    case 'list':
      return node.nodes.map(nodeString).join('');
    case 'text':
      return node.text;
    case 'comment':
      return `{{${node.text}}}`;
    case 'action':
      return `{{${pipeString(node.pipe)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'if':
    case 'with':
    case 'range':
      return `{{${node.type} ${pipeString(node.pipe)}}}${nodeString(node.list)}${node.elseList ? `{{else}}${nodeString(node.elseList)}` : ''}{{end}}`;
    case 'template':
      return node.pipe ? `{{template ${goQuote(node.name)} ${pipeString(node.pipe)}}}` : `{{template ${goQuote(node.name)}}}`;
    case 'command':
      return node.args.map((arg) => (arg.type === 'pipe' ? `(${pipeString(arg)})` : argString(arg))).join(' ');
    default:
      return argString(node);
  }
}

export function pipeString(pipe: PipeNode): string {
  let out = '';
  if (pipe.decl.length > 0) out = pipe.decl.map((v) => v.ident.join('.')).join(', ') + (pipe.isAssign ? ' = ' : ' := ');
  return out + pipe.cmds.map((cmd) => nodeString(cmd)).join(' | ');
}

export function argString(node: ArgNode): string {
  switch (node.type) {
    case 'field':
      return node.ident.map((id) => '.' + id).join('');
    case 'variable':
      return node.ident.join('.');
    case 'chain':
      return (node.node.type === 'pipe' ? `(${pipeString(node.node)})` : argString(node.node)) + node.field.map((f) => '.' + f).join('');
    case 'identifier':
      return node.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
    case 'pipe':
      return pipeString(node);
  }
}
