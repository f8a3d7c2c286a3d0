import { wrappedLinesMax } from './limits.js';

/**
 * Fixed-width text layout for receipts. Every function takes text already passed through
 * `toPrintable` (one character = one column) and returns lines no longer than `width`.
 */

const ellipsis = '...';

/** Cuts a line to `width` columns, marking the cut with "..." when there is room for it. */
export function truncate(text: string, width: number): string {
  if (width <= 0) throw new Error(`width ${width} must be positive`);
  if (text.length <= width) return text;
  if (width <= ellipsis.length) return text.slice(0, width);
  return text.slice(0, width - ellipsis.length).trimEnd() + ellipsis;
}

/**
 * Word-wraps text into at most `linesMax` lines of `width` columns. A word longer than a line is split;
 * text beyond the last line is cut with "...". Empty text gives one empty line.
 */
export function wrap(text: string, width: number, linesMax: number = wrappedLinesMax): string[] {
  if (width <= 0 || linesMax <= 0) throw new Error(`bad wrap bounds ${width}x${linesMax}`);
  const words = text.split(' ').filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  for (let word of words) {
    while (word.length > 0) {
      const room = current.length === 0 ? width : width - current.length - 1;
      if (word.length <= room) {
        current = current.length === 0 ? word : `${current} ${word}`;
        word = '';
      } else if (current.length === 0) {
        lines.push(word.slice(0, width)); // a word wider than the paper is split hard
        word = word.slice(width);
      } else {
        lines.push(current);
        current = '';
      }
    }
  }
  if (current.length > 0 || lines.length === 0) lines.push(current);
  if (lines.length <= linesMax) return lines;
  const kept = lines.slice(0, linesMax - 1);
  // The rest is longer than one line by construction, so `truncate` always marks the cut.
  kept.push(truncate(lines.slice(linesMax - 1).join(' '), width));
  return kept;
}

/**
 * A label on the left and a value (an amount) flush right. When both do not fit on one line the label
 * wraps and the value goes at the right of its last line, or on a line of its own.
 */
export function leftRight(left: string, right: string, width: number): string[] {
  const value = truncate(right, width);
  if (left.length + 1 + value.length <= width) {
    return [left + ' '.repeat(width - left.length - value.length) + value];
  }
  // Keep the label's indentation on every wrapped line (tender names are indented under "Règlements").
  const indent = Math.min(left.length - left.trimStart().length, Math.floor(width / 4));
  const lines = wrap(left.trimStart(), width - indent).map((line) => ' '.repeat(indent) + line);
  const last = lines[lines.length - 1]!;
  if (last.length + 1 + value.length <= width) {
    lines[lines.length - 1] = last + ' '.repeat(width - last.length - value.length) + value;
  } else {
    lines.push(' '.repeat(width - value.length) + value);
  }
  return lines;
}
