// `switchyard spend`: requests, tokens and cost grouped by model, provider, key, project or day.
import type { Command } from 'commander';
import { parseGroupBy, SPEND_GROUPS, spendJson } from '../server/routes/spend.ts';
import { timeRange } from '../server/routes/traces.ts';
import { formatCost, formatTable, writeJson } from './format-table.ts';
import { DATABASE_HELP, type DatabaseOption, openStoreForReading, withStore } from './open-cli-store.ts';

interface SpendOptions extends DatabaseOption {
  groupBy?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export function registerSpendCommand(program: Command): void {
  program
    .command('spend')
    .description('spend report from the stored traces')
    .option('--group-by <group>', `${SPEND_GROUPS.join(' | ')} (default model)`)
    .option('--from <time>', 'inclusive start: ISO 8601 date/time or epoch ms')
    .option('--to <time>', 'exclusive end: ISO 8601 date/time or epoch ms')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON, as GET /v1/spend does')
    .action((options: SpendOptions) => spend(options));
}

async function spend(options: SpendOptions): Promise<void> {
  const groupBy = parseGroupBy(options.groupBy);
  const values = new Map<string, string>();
  if (options.from !== undefined) values.set('from', options.from);
  if (options.to !== undefined) values.set('to', options.to);
  const range = timeRange(values);
  const rows = await withStore(openStoreForReading(options), (store) => store.spend({ groupBy, ...range }));
  if (options.json) {
    writeJson(spendJson(groupBy, range, rows));
    return;
  }
  const table = formatTable(
    [groupBy.toUpperCase(), 'REQUESTS', 'INPUT', 'OUTPUT', 'COST', 'UNKNOWN_COST'],
    rows.map((row) => [
      row.group ?? '(none)',
      String(row.requests),
      String(row.inputTokens),
      String(row.outputTokens),
      formatCost(row.costUsd),
      String(row.unknownCostRequests),
    ]),
  );
  process.stdout.write(`${table}\n`);
}
