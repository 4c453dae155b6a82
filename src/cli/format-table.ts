// Plain-text tables and values for the CLI's human output.

/** Columns padded to their widest cell; numbers (cells starting with a digit, $ or -) right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = header.map((_title, column) =>
    rows.every((row) => /^([\d$-]|unknown$)/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] && column > 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** USD to the millionth of a dollar; `unknown` when the price was unknown (never shown as 0). */
export function formatCost(usd: number | null): string {
  return usd === null ? 'unknown' : `$${usd.toFixed(6)}`;
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
