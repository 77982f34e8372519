// The lexer of Go's text/template (package text/template/parse, lex.go): the same tokens, trim markers, comment
// rules and error texts, written as a loop over the input instead of Go's state-function goroutine.

export type TokenType =
  | 'error' | 'eof' | 'text' | 'comment' | 'leftDelim' | 'rightDelim' | 'space'
  | 'bool' | 'char' | 'charConstant' | 'number' | 'string' | 'rawString'
  | 'assign' | 'declare' | 'pipe' | 'leftParen' | 'rightParen'
  | 'field' | 'variable' | 'identifier' | 'dot' | 'nil'
  | 'block' | 'break' | 'continue' | 'define' | 'else' | 'end' | 'if' | 'range' | 'template' | 'with';

export interface Token {
  type: TokenType;
  value: string;
  /** Offset of the token in the template text. */
  pos: number;
  /** 1-based line of the token's start. */
  line: number;
}

const keywords = new Map<string, TokenType>([
  ['block', 'block'], ['break', 'break'], ['continue', 'continue'], ['define', 'define'], ['else', 'else'], ['end', 'end'],
  ['if', 'if'], ['range', 'range'], ['nil', 'nil'], ['template', 'template'], ['with', 'with'],
]);
const keywordTypes = new Set<TokenType>([...keywords.values(), 'dot']);

export function isKeyword(type: TokenType): boolean {
  return keywordTypes.has(type);
}

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
  return /^[\p{L}\p{Nd}]$/u.test(c);
}

/** Go's %#U of a character, as lexer errors print it: `U+0023 '#'`. */
function goRune(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return /\p{L}|\p{N}|\p{P}|\p{S}|\p{Zs}/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}

/** Cuts a template into tokens. An error ends the stream with an `error` token carrying Go's message. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: TokenType, value = input.slice(start, pos)): void => {
    tokens.push({ type, value, pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    start = pos;
    startLine = line;
  };
  const advance = (n: number): void => {
    line += count(input, '\n', pos, pos + n);
    pos += n;
  };
  const fail = (message: string): Token[] => {
    tokens.push({ type: 'error', value: message, pos: start, line: startLine });
    return tokens;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (isSpace(input[pos] ?? '') && input[pos + 1] === '-' && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    if (input.startsWith(RIGHT, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const rightDelim = (trim: boolean): void => {
    if (trim) {
      advance(2);
      ignore();
    }
    advance(RIGHT.length);
    emit('rightDelim');
    if (trim) {
      let n = 0;
      while (pos + n < input.length && isSpace(input[pos + n])) n++;
      advance(n);
      ignore();
    }
  };

  for (;;) {
    // Text up to the next action.
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      advance(input.length - pos);
      if (pos > start) emit('text');
      emit('eof', '');
      return tokens;
    }
    if (x > pos) {
      advance(x - pos);
      let trimmed = pos;
      if (input[x + 2] === '-' && isSpace(input[x + 3] ?? '')) {
        while (trimmed > start && isSpace(input[trimmed - 1])) trimmed--;
      }
      if (trimmed > start) {
        tokens.push({ type: 'text', value: input.slice(start, trimmed), pos: start, line: startLine });
      }
      ignore();
    }
    // The left delimiter, a comment or an action.
    advance(LEFT.length);
    const trimLeft = input[pos] === '-' && isSpace(input[pos + 1] ?? '');
    const afterMarker = trimLeft ? 2 : 0;
    if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
      advance(afterMarker);
      ignore();
      advance(LEFT_COMMENT.length);
      const end = input.indexOf(RIGHT_COMMENT, pos);
      if (end < 0) return fail('unclosed comment');
      advance(end + RIGHT_COMMENT.length - pos);
      const { delim, trim } = atRightDelim();
      if (!delim) return fail('comment ends before closing delimiter');
      emit('comment');
      if (trim) advance(2);
      advance(RIGHT.length);
      if (trim) {
        let n = 0;
        while (pos + n < input.length && isSpace(input[pos + n])) n++;
        advance(n);
      }
      ignore();
      continue;
    }
    emit('leftDelim');
    advance(afterMarker);
    ignore();
    parenDepth = 0;
    // Inside the action.
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return fail('unclosed left paren');
        rightDelim(trim);
        break;
      }
      const c = input[pos];
      if (c === undefined) return fail('unclosed action');
      if (isSpace(c)) {
        // The last space before `-}}` belongs to the trim marker, which the check above takes.
        let n = 0;
        while (pos + n < input.length && isSpace(input[pos + n])) n++;
        if (input[pos + n] === '-' && input.startsWith(RIGHT, pos + n + 1)) n--;
        advance(n);
        emit('space');
        continue;
      }
      if (c === '=') {
        advance(1);
        emit('assign');
      } else if (c === ':') {
        advance(1);
        if (input[pos] !== '=') return fail('expected :=');
        advance(1);
        emit('declare');
      } else if (c === '|') {
        advance(1);
        emit('pipe');
      } else if (c === '"') {
        advance(1);
        for (;;) {
          const d = input[pos];
          if (d === '\\') {
            const e = input[pos + 1];
            if (e === undefined || e === '\n') return fail('unterminated quoted string');
            advance(2);
          } else if (d === undefined || d === '\n') {
            return fail('unterminated quoted string');
          } else {
            advance(1);
            if (d === '"') break;
          }
        }
        emit('string');
      } else if (c === '`') {
        const end = input.indexOf('`', pos + 1);
        if (end < 0) return fail('unterminated raw quoted string');
        advance(end + 1 - pos);
        emit('rawString');
      } else if (c === '$' || (c === '.' && !/[0-9]/.test(input[pos + 1] ?? ''))) {
        advance(1);
        if (atTerminator()) {
          emit(c === '$' ? 'variable' : 'dot');
        } else {
          while (pos < input.length && isAlphaNumeric(input[pos])) advance(1);
          if (!atTerminator()) return fail(`bad character ${goRune(input[pos])}`);
          emit(c === '$' ? 'variable' : 'field');
        }
      } else if (c === "'") {
        advance(1);
        for (;;) {
          const d = input[pos];
          if (d === '\\') {
            if (input[pos + 1] === undefined || input[pos + 1] === '\n') return fail('unterminated character constant');
            advance(2);
          } else if (d === undefined || d === '\n') {
            return fail('unterminated character constant');
          } else {
            advance(1);
            if (d === "'") break;
          }
        }
        emit('charConstant');
      } else if (c === '+' || c === '-' || c === '.' || (c >= '0' && c <= '9')) {
        if (!scanNumber()) return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
        emit('number');
      } else if (isAlphaNumeric(c)) {
        while (pos < input.length && isAlphaNumeric(input[pos])) advance(1);
        if (!atTerminator()) return fail(`bad character ${goRune(input[pos])}`);
        const word = input.slice(start, pos);
        emit(keywords.get(word) ?? (word === 'true' || word === 'false' ? 'bool' : 'identifier'));
      } else if (c === '(') {
        advance(1);
        emit('leftParen');
        parenDepth++;
      } else if (c === ')') {
        advance(1);
        parenDepth--;
        if (parenDepth < 0) return fail('unexpected right paren');
        emit('rightParen');
      } else if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) {
        advance(1);
        emit('char');
      } else {
        const r = String.fromCodePoint(input.codePointAt(pos) ?? 0);
        return fail(`unrecognized character in action: ${goRune(r)}`);
      }
    }
  }

  function scanNumber(): boolean {
    const accept = (valid: string): boolean => {
      if (pos < input.length && valid.includes(input[pos])) {
        pos++;
        return true;
      }
      return false;
    };
    const acceptRun = (valid: string): void => {
      while (pos < input.length && valid.includes(input[pos])) pos++;
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (pos < input.length && isAlphaNumeric(input[pos])) {
      pos++;
      return false;
    }
    return true;
  }
}

function count(text: string, c: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(c, from); i >= 0 && i < to; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** Go's %q of a string: double-quoted with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) {
      out += code > 0xffff ? '\\U' + code.toString(16).padStart(8, '0') : '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}
