// Sprig's path and URL functions: Go's path package (base, dir, clean, ext, isAbs; the os* variants are
// path/filepath, the same on the Linux hosts Helm runs on) and urlParse/urlJoin over net/url's parts.
import { GoFunction, GoMap } from '../values';
import { asMap, stringArg, strval } from './convert';
import { trimTrailing } from '../text';

/** path.Clean: the shortest equivalent path, `.` for an empty result. */
function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(part);
  }
  const joined = parts.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

function basePath(path: string): string {
  if (path === '') return '.';
  const trimmed = trimTrailing(path, '/');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirPath(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf('/') + 1));
}

function extension(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) if (path[i] === '.') return path.slice(i);
  return '';
}

/** The parts of a URL; a fragment may not hold a line break (`fragmentBreak`), else the URL does not parse. */
const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;
const fragmentBreak = /[\n\r\u2028\u2029]/;

function unescape(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`unable to parse url: invalid URL escape ${JSON.stringify(text)}`);
  }
}

/** net/url.Parse's parts as Sprig's urlParse returns them. */
function parseUrl(text: string): GoMap {
  const match = URL_PARTS.exec(text);
  if (!match || fragmentBreak.test(match[5] ?? '')) throw new Error(`unable to parse url: parse ${JSON.stringify(text)}: invalid URL`);
  const [, scheme = '', authority, rest = '', query = '', fragment = ''] = match;
  let opaque = '';
  let path = rest;
  if (scheme && authority === undefined && !rest.startsWith('/')) {
    opaque = rest;
    path = '';
  }
  let userinfo = '';
  let host = authority ?? '';
  const at = host.lastIndexOf('@');
  if (at >= 0) {
    userinfo = host.slice(0, at);
    host = host.slice(at + 1);
  }
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:[0-9]*$/, '');
  return { scheme: scheme.toLowerCase(), host, hostname, path: unescape(path), query, opaque, fragment: unescape(fragment), userinfo };
}

/** url.URL.String for the parts urlJoin takes. */
function joinUrl(parts: GoMap): string {
  const get = (key: string) => (typeof parts[key] === 'string' ? (parts[key] as string) : '');
  const scheme = get('scheme');
  const opaque = get('opaque');
  let out = scheme ? scheme + ':' : '';
  if (opaque) out += opaque;
  else {
    const host = get('host');
    const userinfo = get('userinfo');
    const path = get('path');
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) out += userinfo + '@';
      out += host;
    }
    if (path && !path.startsWith('/') && host) out += '/';
    out += encodeURI(path).replace(/%25/g, '%25');
  }
  if (get('query')) out += '?' + get('query');
  if (get('fragment')) out += '#' + encodeURI(get('fragment'));
  return out;
}

export function pathFunctions(): Record<string, GoFunction> {
  const base = (path: unknown) => basePath(stringArg(path));
  const dir = (path: unknown) => dirPath(stringArg(path));
  const clean = (path: unknown) => cleanPath(stringArg(path));
  const ext = (path: unknown) => extension(stringArg(path));
  const isAbs = (path: unknown) => stringArg(path).startsWith('/');
  return {
    base, dir, clean, ext, isAbs,
    osBase: base, osDir: dir, osClean: clean, osExt: ext, osIsAbs: isAbs,
    urlParse: (text) => parseUrl(strval(text)),
    urlJoin: (parts) => joinUrl(asMap(parts) ?? {}),
  };
}
