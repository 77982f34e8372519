// The Go parameter types of Sprig's functions, as Sprig declares them, so that the executor checks each call as
// Go's text/template does: the number of arguments (`wrong number of args for trunc: want 2 got 1`) and their
// types (`wrong type for value; expected string; got int`, `invalid value; expected string` for a missing value).
// A parameter Go declares as uint32 or time.Time is given here as the nearest type the value model has.
import { GoFunction, ParamType, signature } from '../values';

/** [parameter types, variadic]: when variadic, the last type is that of each further argument. */
export type Declaration = readonly [readonly ParamType[], boolean?];

const S: ParamType = 'string';
const I: ParamType = 'int';
const A: ParamType = 'interface {}';
const M: ParamType = 'map[string]interface {}';

export const SPRIG_SIGNATURES: Record<string, Declaration> = {
  hello: [[]],
  // dates
  ago: [[A]], date: [[S, A]], date_in_zone: [[S, A, S]], dateInZone: [[S, A, S]], date_modify: [[S, A]], dateModify: [[S, A]],
  must_date_modify: [[S, A]], mustDateModify: [[S, A]], duration: [[A]], durationRound: [[A]], htmlDate: [[A]],
  htmlDateInZone: [[A, S]], now: [[]], toDate: [[S, S]], mustToDate: [[S, S]], unixEpoch: [[A]],
  // strings
  abbrev: [[I, S]], abbrevboth: [[I, I, S]], trunc: [[I, S]], trim: [[S]], upper: [[S]], lower: [[S]], title: [[S]],
  untitle: [[S]], substr: [[I, I, S]], repeat: [[I, S]], trimall: [[S, S]], trimAll: [[S, S]], trimSuffix: [[S, S]],
  trimPrefix: [[S, S]], nospace: [[S]], initials: [[S]], randAlphaNum: [[I]], randAlpha: [[I]], randAscii: [[I]],
  randNumeric: [[I]], swapcase: [[S]], shuffle: [[S]], snakecase: [[S]], camelcase: [[S]], kebabcase: [[S]],
  wrap: [[I, S]], wrapWith: [[I, S, S]], contains: [[S, S]], hasPrefix: [[S, S]], hasSuffix: [[S, S]],
  quote: [[A], true], squote: [[A], true], cat: [[A], true], indent: [[I, S]], nindent: [[I, S]], replace: [[S, S, S]],
  plural: [[S, S, I]], sha1sum: [[S]], sha256sum: [[S]], sha512sum: [[S]], adler32sum: [[S]], toString: [[A]] as Declaration,
  atoi: [[S]], int64: [[A]], int: [[A]], float64: [[A]], seq: [[I], true], toDecimal: [[A]],
  split: [[S, S]], splitList: [[S, S]], splitn: [[S, I, S]], toStrings: [[A]], until: [[I]], untilStep: [[I, I, I]],
  join: [[S, A]], sortAlpha: [[A]],
  // numbers
  add1: [[A]], add: [[A], true], sub: [[A, A]], div: [[A, A]], mod: [[A, A]], mul: [[A, A], true], randInt: [[I, I]],
  add1f: [[A]], addf: [[A], true], subf: [[A, A], true], divf: [[A, A], true], mulf: [[A, A], true],
  biggest: [[A, A], true], max: [[A, A], true], min: [[A, A], true], maxf: [[A, A], true], minf: [[A, A], true],
  ceil: [[A]], floor: [[A]], round: [[A, I, 'float64'], true],
  // defaults, JSON, reflection
  default: [[A, A], true], empty: [[A]], coalesce: [[A], true], all: [[A], true], any: [[A], true],
  compact: [[A]], mustCompact: [[A]], fromJson: [[S]], toJson: [[A]], toPrettyJson: [[A]], toRawJson: [[A]],
  mustFromJson: [[S]], mustToJson: [[A]], mustToPrettyJson: [[A]], mustToRawJson: [[A]], ternary: [[A, A, 'bool']],
  deepCopy: [[A]], mustDeepCopy: [[A]], typeOf: [[A]], typeIs: [[S, A]], typeIsLike: [[S, A]], kindOf: [[A]],
  kindIs: [[S, A]], deepEqual: [[A, A]], fail: [[S]],
  // paths, encodings
  base: [[S]], dir: [[S]], clean: [[S]], ext: [[S]], isAbs: [[S]], osBase: [[S]], osClean: [[S]], osDir: [[S]],
  osExt: [[S]], osIsAbs: [[S]], b64enc: [[S]], b64dec: [[S]], b32enc: [[S]], b32dec: [[S]],
  urlParse: [[S]], urlJoin: [[M]],
  // dicts and lists
  tuple: [[A], true], list: [[A], true], dict: [[A], true], get: [[M, S]], set: [[M, S, A]], unset: [[M, S]],
  hasKey: [[M, S]], pluck: [[S, M], true], keys: [[M], true], pick: [[M, S], true], omit: [[M, S], true],
  merge: [[M, M], true], mergeOverwrite: [[M, M], true], mustMerge: [[M, M], true], mustMergeOverwrite: [[M, M], true],
  values: [[M]], append: [[A, A]], push: [[A, A]], mustAppend: [[A, A]], mustPush: [[A, A]], prepend: [[A, A]],
  mustPrepend: [[A, A]], first: [[A]], mustFirst: [[A]], rest: [[A]], mustRest: [[A]], last: [[A]], mustLast: [[A]],
  initial: [[A]], mustInitial: [[A]], reverse: [[A]], mustReverse: [[A]], uniq: [[A]], mustUniq: [[A]],
  without: [[A, A], true], mustWithout: [[A, A], true], has: [[A, A]], mustHas: [[A, A]], slice: [[A, A], true],
  mustSlice: [[A, A], true], concat: [[A], true], dig: [[A], true], chunk: [[I, A]], mustChunk: [[I, A]],
  // crypto
  bcrypt: [[S]], htpasswd: [[S, S]], derivePassword: [[I, S, S, S, S]], encryptAES: [[S, S]], decryptAES: [[S, S]],
  randBytes: [[I]], uuidv4: [[]], genPrivateKey: [[S]], buildCustomCert: [[S, S]], genCA: [[S, I]],
  genCAWithKey: [[S, I, S]], genSelfSignedCert: [[S, '[]interface {}', '[]interface {}', I]],
  genSelfSignedCertWithKey: [[S, '[]interface {}', '[]interface {}', I, S]],
  genSignedCert: [[S, '[]interface {}', '[]interface {}', I, A]], genSignedCertWithKey: [[S, '[]interface {}', '[]interface {}', I, A, S]],
  // semver, regular expressions
  semver: [[S]], semverCompare: [[S, S]],
  regexMatch: [[S, S]], mustRegexMatch: [[S, S]], regexFindAll: [[S, S, I]], mustRegexFindAll: [[S, S, I]],
  regexFind: [[S, S]], mustRegexFind: [[S, S]], regexReplaceAll: [[S, S, S]], mustRegexReplaceAll: [[S, S, S]],
  regexReplaceAllLiteral: [[S, S, S]], mustRegexReplaceAllLiteral: [[S, S, S]], regexSplit: [[S, S, I]],
  mustRegexSplit: [[S, S, I]], regexQuoteMeta: [[S]],
};

/** Declares each function's parameters from `declarations`; every function must have one. Returns the map. */
export function declareSignatures(functions: Record<string, GoFunction>, declarations: Record<string, Declaration>): Record<string, GoFunction> {
  for (const [name, fn] of Object.entries(functions)) {
    const declaration = Object.prototype.hasOwnProperty.call(declarations, name) ? declarations[name] : undefined;
    if (!declaration) throw new Error(`no signature declared for ${name}`);
    signature(fn, declaration[0], declaration[1] ?? false);
  }
  return functions;
}
