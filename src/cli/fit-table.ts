/**
 * Terminal tables that fit a width (120 columns): a table whose columns do not fit is
 * wrapped into several tables, each repeating the first (label) column and taking as
 * many of the other columns as fit. Cells may hold several lines.
 */
import Table from "cli-table3";

export const TERMINAL_WIDTH = 120;

/** Width of a cell as cli-table3 draws it: its longest line plus one space each side. */
function cellWidth(text: string): number {
  return Math.max(...text.split("\n").map((l) => [...l].length)) + 2;
}

/** A table's drawn width: its columns plus one border between and around them. */
function tableWidth(columnWidths: readonly number[]): number {
  return columnWidths.reduce((a, b) => a + b, 0) + columnWidths.length + 1;
}

/**
 * Draws `head` and `rows` (each row: label, then one cell per column) as one or more
 * tables no wider than `width`.
 */
export function fittedTables(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  width = TERMINAL_WIDTH,
): string[] {
  const widths = head.map((h, j) =>
    Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[j] ?? ""))),
  );
  const groups: number[][] = [];
  let group: number[] = [];
  for (let j = 1; j < head.length; j++) {
    const next = [...group, j];
    if (group.length > 0 && tableWidth([widths[0]!, ...next.map((k) => widths[k]!)]) > width) {
      groups.push(group);
      group = [j];
    } else group = next;
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);
  return groups.map((columns) => {
    const pick = (r: readonly string[]) => [r[0] ?? "", ...columns.map((k) => r[k] ?? "")];
    const table = new Table({ head: pick(head), style: { head: [], border: [] } });
    for (const r of rows) table.push(pick(r));
    return table.toString();
  });
}
