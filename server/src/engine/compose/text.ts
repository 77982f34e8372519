// Small text helpers of the Compose rules.

/** `text` without the run of `char` at its end; a loop, since `/x+$/` backtracks quadratically on a long run of `x`. */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
