import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeText, encodeText, TextEncoding } from '../../server/src/engine/byteOrderMarks';
import { FINDINGS, MANIFEST } from '../encodedManifest';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const ENCODINGS: TextEncoding[] = ['utf-8', 'utf-8 with BOM', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'];

function lint(args: string[], input?: Uint8Array) {
  const result = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { input, encoding: 'utf8' });
  const findings = result.status === 2 ? [] : JSON.parse(result.stdout).findings as { rule: string; message: string; line: number; column: number; endLine: number; endColumn: number }[];
  return { status: result.status, stderr: result.stderr, findings, ranges: findings.map(f => `${f.rule} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`) };
}

describe('CLI on files in UTF-16 and UTF-32', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-encodings-'));
  const file = (encoding: TextEncoding) => join(dir, `${encoding.replace(/ /g, '-')}.yaml`);
  for (const encoding of ENCODINGS) writeFileSync(file(encoding), encodeText(MANIFEST, encoding));
  const twin = lint([file('utf-8')]);

  it('reports the UTF-8 file at the exact ranges', () => {
    assert.equal(twin.status, 1);
    assert.deepEqual(twin.ranges, FINDINGS);
  });

  for (const encoding of ENCODINGS.slice(1)) {
    it(`lints ${encoding} with a byte order mark like its UTF-8 twin: same findings, lines and columns`, () => {
      const result = lint([file(encoding)]);
      assert.equal(result.stderr, '');
      assert.equal(result.status, 1);
      assert.deepEqual(result.findings.map(({ message, line, column, endLine, endColumn }) => ({ message, line, column, endLine, endColumn })),
        twin.findings.map(({ message, line, column, endLine, endColumn }) => ({ message, line, column, endLine, endColumn })));
      assert.deepEqual(result.ranges, FINDINGS);
    });
  }

  it('decodes standard input by its byte order mark too', () => {
    assert.deepEqual(lint(['-'], encodeText(MANIFEST, 'utf-16le')).ranges, FINDINGS);
  });

  it('reports UTF-16 without a byte order mark as binary data, as kubectl fails on it', () => {
    const path = join(dir, 'utf-16le-without-mark.yaml');
    writeFileSync(path, encodeText(MANIFEST, 'utf-16le').subarray(2));
    const result = lint([path]);
    assert.deepEqual(result.ranges, ['parse-error 1:2-1:3']);
    assert.match(result.findings[0].message, /^Binary data \(a NUL byte\)/);
  });

  it('reads a UTF-16 .kube-immutable.yaml', () => {
    const project = mkdtempSync(join(tmpdir(), 'kube-immutable-encodings-'));
    writeFileSync(join(project, '.kube-immutable.yaml'), encodeText('rules:\n  capabilities: off\n  mutable-image-reference: off\n', 'utf-16be'));
    writeFileSync(join(project, 'pod.yaml'), encodeText(MANIFEST, 'utf-16le'));
    assert.deepEqual(lint([project]).ranges, FINDINGS.filter(finding => !/^(capabilities|mutable-image-reference) /.test(finding)));
  });

  for (const encoding of ['utf-16le', 'utf-32be'] as const) {
    it(`--fix writes a ${encoding} file back in ${encoding}, with its byte order mark`, () => {
      const fixedTwin = join(dir, `fixed-utf-8-for-${encoding}.yaml`);
      const fixed = join(dir, `fixed-${encoding}.yaml`);
      writeFileSync(fixedTwin, MANIFEST);
      writeFileSync(fixed, encodeText(MANIFEST, encoding));
      const twinRun = spawnSync(process.execPath, [CLI, '--fix', fixedTwin], { encoding: 'utf8' });
      const run = spawnSync(process.execPath, [CLI, '--fix', fixed], { encoding: 'utf8' });
      assert.equal(run.stdout.split(fixed).join('FILE'), twinRun.stdout.split(fixedTwin).join('FILE'));
      const expected = readFileSync(fixedTwin, 'utf8');
      assert.notEqual(expected, MANIFEST, 'the fixes changed the file');
      assert.deepEqual(decodeText(readFileSync(fixed)), { text: expected, encoding });
    });
  }
});
