/**
 * Reads the tables of a Markdown page the way docs/ERRORS.md writes them: rows of `|`-separated cells,
 * `\|` and `\\` escaped inside a cell. Each row remembers the `##` heading it sits under.
 */
export interface TableRow {
  readonly heading: string;
  readonly header: string;
  readonly cells: readonly string[];
  readonly line: number;
}

export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  const body = line.trim();
  if (!body.startsWith('|') || !body.endsWith('|')) throw new Error(`not a table row: ${line}`);
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && (body[i + 1] === '|' || body[i + 1] === '\\')) {
      cell += body[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  return cells;
}

/** Every data row of every table whose header line is exactly `header`. */
export function tableRows(markdown: string, header: string): TableRow[] {
  const rows: TableRow[] = [];
  let heading = '';
  let inTable = false;
  markdown.split('\n').forEach((line, i) => {
    if (line.startsWith('## ')) heading = line.slice(3).trim();
    if (line === header) {
      inTable = true;
      return;
    }
    if (!inTable) return;
    if (!line.startsWith('|')) {
      inTable = false;
      return;
    }
    if (/^\|( *-+ *\|)+$/.test(line)) return;
    rows.push({ heading, header, cells: splitRow(line), line: i + 1 });
  });
  return rows;
}
