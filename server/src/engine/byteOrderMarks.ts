// A byte order mark may start any document of a stream (YAML 1.2, section 5.2), as it does when files saved with
// one are joined by `---` lines; the yaml parser takes one only at the start of the stream and would read the
// others as part of the first key, so that the document silently stops being Kubernetes. They are dropped before
// parsing, and offsets in the parsed text are mapped back to the text as written.
const BOM_AT_LINE_START = /(?<=\n)\ufeff/g;

export interface WithoutMarks {
  text: string;
  /** The offset in the text as written of an offset in `text`. */
  toWritten(offset: number): number;
}

export function withoutByteOrderMarks(written: string): WithoutMarks {
  if (!written.includes('\ufeff')) return { text: written, toWritten: offset => offset };
  /** Offsets in the parsed text at which a mark was dropped, ascending. */
  const dropped: number[] = [];
  let text = '';
  let from = 0;
  for (const match of written.matchAll(BOM_AT_LINE_START)) {
    text += written.slice(from, match.index);
    dropped.push(text.length);
    from = match.index! + 1;
  }
  text += written.slice(from);
  return {
    text,
    toWritten: offset => {
      let low = 0, high = dropped.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (dropped[mid] <= offset) low = mid + 1; else high = mid;
      }
      return offset + low;
    },
  };
}
