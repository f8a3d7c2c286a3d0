import { csvFieldsMax, csvRecordCharsMax } from './limits.js';

/**
 * RFC 4180 CSV as shop tills export it: comma, semicolon or tab separated (the separator is the one
 * found most often, outside quotes, in the header line), fields optionally in double quotes with `""`
 * for a quote, CRLF or LF line ends, quoted fields that may span lines. Records carry the physical line
 * they start on so that every problem can be reported by line number.
 */
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly detail: string;
}

export interface CsvTable {
  readonly delimiter: CsvDelimiter;
  readonly records: readonly CsvRecord[];
  readonly problems: readonly CsvProblem[];
}

export function detectDelimiter(text: string): CsvDelimiter {
  const end = text.indexOf('\n');
  const header = end === -1 ? text : text.slice(0, end);
  let inQuotes = false;
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (const ch of header) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/**
 * Splits the whole text into records. Blank lines are skipped. A problem (an unterminated quote, a
 * record too long, too many fields) is collected with its line and the record is dropped; the caller
 * refuses the import if there is any.
 */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): CsvTable {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const startIndex = i;
    const fields: string[] = [];
    let field = '';
    let bad: string | undefined;
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i >= n) break;
      const ch = text[i]!;
      if (ch === '"' && field === '') {
        // Quoted field: read to the closing quote; `""` is one quote.
        i += 1;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (c === '\n') line += 1;
          field += c;
          i += 1;
          if (field.length > csvRecordCharsMax) break;
        }
        if (!closed) {
          bad ??= field.length > csvRecordCharsMax ? `record longer than ${csvRecordCharsMax} characters` : 'quote opened and never closed';
          // Resynchronise at the next line end after the record's first line.
          i = text.indexOf('\n', startIndex);
          line = startLine;
          if (i === -1) i = n;
          continue;
        }
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          bad ??= 'text after a closing quote';
        }
        continue;
      }
      if (ch === delimiter) {
        fields.push(field);
        field = '';
        i += 1;
        // A delimiter after the limit's last field means one field more.
        if (fields.length >= csvFieldsMax) bad ??= `more than ${csvFieldsMax} fields`;
        continue;
      }
      if (ch === '\r' && text[i + 1] === '\n') {
        i += 2;
        endOfRecord = true;
        continue;
      }
      if (ch === '\n') {
        i += 1;
        endOfRecord = true;
        continue;
      }
      field += ch;
      i += 1;
      if (i - startIndex > csvRecordCharsMax) {
        // Skip the rest of an over-long line without keeping it in memory.
        bad ??= `record longer than ${csvRecordCharsMax} characters`;
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? n : nl + 1;
        endOfRecord = true;
      }
    }
    fields.push(field);
    line += 1;
    if (bad !== undefined) {
      problems.push({ line: startLine, detail: bad });
      continue;
    }
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    records.push({ line: startLine, fields });
  }
  return { delimiter, records, problems };
}
