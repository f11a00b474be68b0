/** RFC 4180 CSV: comma separated, fields quoted with "…" ("" inside), CRLF or LF, newlines inside quotes. */
export interface CsvTable {
  header: string[];
  rows: { row: number; cells: string[] }[];
}
export interface CsvProblem {
  row: number;
  message: string;
}

export function parseCsv(text: string): { table: CsvTable | null; problems: CsvProblem[] } {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const problems: CsvProblem[] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < input.length) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          problems.push({ row: records.length + 1, message: 'text after a closing quote' });
        }
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i += 1;
      continue;
    }
    if (c === ',') {
      endField();
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (c === '"') problems.push({ row: records.length + 1, message: 'a quote inside an unquoted field' });
    field += c;
    fieldStarted = true;
    i += 1;
  }
  if (quoted) problems.push({ row: records.length + 1, message: 'a quoted field is not closed' });
  if (fieldStarted || field !== '' || record.length) endRecord();
  // blank lines (a lone empty field) are skipped
  const numbered = records
    .map((cells, index) => ({ row: index + 1, cells }))
    .filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
  if (!numbered.length)
    return { table: null, problems: problems.length ? problems : [{ row: 1, message: 'the file is empty' }] };
  const [head, ...rows] = numbered;
  const header = head!.cells.map((h) => h.trim());
  const reported = new Set(problems.map((p) => p.row));
  rows.forEach((r) => {
    if (r.cells.length !== header.length && !reported.has(r.row))
      problems.push({ row: r.row, message: `${r.cells.length} fields where the header has ${header.length}` });
  });
  return { table: { header, rows }, problems };
}
