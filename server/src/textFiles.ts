// Reading and writing the files the CLI and the language server lint, in the encoding their byte order mark
// says (engine/byteOrderMarks.ts): what kubectl would read is what gets linted, and a fix is written back in
// the file's own encoding.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeText, DecodedText, encodeText, TextEncoding } from './engine/byteOrderMarks';

/** A file's text; `0` reads standard input. Throws the file system's error. */
export function readTextFileSync(path: string | 0): DecodedText {
  return decodeText(readFileSync(path));
}

export async function readTextFile(path: string): Promise<DecodedText> {
  return decodeText(await readFile(path));
}

export function writeTextFileSync(path: string, text: string, encoding: TextEncoding): void {
  writeFileSync(path, encodeText(text, encoding));
}
