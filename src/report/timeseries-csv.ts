/** Reading timeseries.csv back (for `lbsim report summary.json`), checked against SPEC 5. */
import { TIMESERIES_COLUMNS, type TimeseriesRow } from "../metrics/timeseries.js";

/** The rows of a timeseries.csv; throws an Error naming what is wrong. */
export function parseTimeseriesCsv(text: string): TimeseriesRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l !== "");
  const header = splitCsvLine(lines[0] ?? "");
  if (header.join(",") !== TIMESERIES_COLUMNS.join(","))
    throw new Error(`unexpected columns (expected ${TIMESERIES_COLUMNS.join(",")})`);
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length)
      throw new Error(`line ${i + 2}: ${cells.length} cells, expected ${header.length}`);
    const row: Record<string, number | string> = {};
    TIMESERIES_COLUMNS.forEach((col, j) => {
      const cell = cells[j]!;
      if (col === "fault") row[col] = cell;
      else {
        const x = Number(cell);
        if (cell === "" || Number.isNaN(x))
          throw new Error(`line ${i + 2}: ${col} is not a number`);
        row[col] = x;
      }
    });
    return row as TimeseriesRow;
  });
}

/** One CSV line's cells (quotes as timeseries.ts writes them). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
