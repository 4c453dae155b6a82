// `switchyard traces list|show`: reads the store directly; --json prints the HTTP API's shapes.
import type { Command } from 'commander';
import {
  groupJson,
  lookupTrace,
  parseLimit,
  parseStatus,
  parseTime,
  traceJson,
} from '../server/routes/traces.ts';
import type { TraceFilter, TraceGroupDetail } from '../store/store.ts';
import type { TraceRecord, TraceSummary } from '../traces/trace-record.ts';
import { formatCost, formatTable, formatTime, writeJson } from './format-table.ts';
import { DATABASE_HELP, type DatabaseOption, openStoreForReading, withStore } from './open-cli-store.ts';

interface ListOptions extends DatabaseOption {
  model?: string;
  provider?: string;
  status?: string;
  since?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `2h`, `7d`… ago, or a time as the API takes it (ISO 8601 or epoch ms). */
export function parseSince(value: string, now = Date.now()): number {
  const relative = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2].toLowerCase()];
  return parseTime(value, 'since');
}

export function registerTracesCommands(program: Command): void {
  const traces = program.command('traces').description('read request traces from the store');
  traces
    .command('list')
    .description('list traces, newest first')
    .option('--model <model>', 'requested or resolved model')
    .option('--provider <provider>', 'provider id')
    .option('--status <status>', 'ok or error')
    .option('--since <time>', 'a duration ago (30m, 2h, 7d) or an ISO 8601 time / epoch ms')
    .option('--limit <n>', 'at most n traces (1-1000; default 50)')
    .option('--cursor <cursor>', 'the next page, from an earlier listing')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON, as GET /v1/traces does')
    .action((options: ListOptions) => listTraces(options));
  traces
    .command('show')
    .description('show one trace (by request id) or a trace group with its calls')
    .argument('<id>', 'request id or trace group id')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print JSON, as GET /v1/traces/{id} does')
    .action((id: string, options: DatabaseOption & { json?: boolean }) => showTrace(id, options));
}

async function listTraces(options: ListOptions): Promise<void> {
  const filter: TraceFilter = {
    model: options.model,
    provider: options.provider,
    status: parseStatus(options.status),
    from: options.since === undefined ? undefined : parseSince(options.since),
  };
  const limit = parseLimit(options.limit);
  const page = await withStore(openStoreForReading(options), (store) =>
    store.listTraces(filter, { limit, cursor: options.cursor }),
  );
  if (options.json) {
    writeJson({
      object: 'list',
      data: page.items.map(traceJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
    return;
  }
  process.stdout.write(`${callsTable(page.items)}\n`);
  if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
}

function callsTable(traces: readonly TraceSummary[]): string {
  return formatTable(
    ['CREATED', 'ID', 'MODEL', 'PROVIDER', 'STATUS', 'IN', 'OUT', 'COST', 'LATENCY'],
    traces.map((trace) => [
      formatTime(trace.createdAt),
      trace.id,
      trace.resolvedModel ?? trace.requestedModel ?? '-',
      trace.provider ?? '-',
      trace.status === 'ok' ? 'ok' : `error ${trace.httpStatus}`,
      String(trace.usage.inputTokens),
      String(trace.usage.outputTokens),
      formatCost(trace.costUsd),
      `${trace.latencyMs} ms`,
    ]),
  );
}

async function showTrace(id: string, options: DatabaseOption & { json?: boolean }): Promise<void> {
  const found = await withStore(openStoreForReading(options), (store) => lookupTrace(store, id));
  if (!found) throw new Error(`no trace or trace group with id '${id}'`);
  if (options.json) writeJson(found.kind === 'group' ? groupJson(found.group) : traceJson(found.trace));
  else
    process.stdout.write(
      `${found.kind === 'group' ? describeGroup(found.group) : describeTrace(found.trace)}\n`,
    );
}

function lines(pairs: Array<[string, string]>): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

function describeTrace(trace: TraceRecord): string {
  const usage = trace.usage;
  const model = trace.resolvedModel && trace.resolvedModel !== trace.requestedModel;
  const out = [
    lines([
      ['trace', trace.id],
      ['created', formatTime(trace.createdAt)],
      ['group', trace.traceGroupId ?? '-'],
      ['endpoint', `${trace.endpoint} (${trace.clientProtocol}${trace.stream ? ', streamed' : ''})`],
      ['model', `${trace.requestedModel ?? '-'}${model ? ` -> ${trace.resolvedModel}` : ''}`],
      ['provider', trace.provider ?? '-'],
      [
        'status',
        trace.status === 'ok'
          ? `ok ${trace.httpStatus}${trace.finishReason ? `, finish ${trace.finishReason}` : ''}`
          : `error ${trace.httpStatus} ${trace.errorCode}: ${trace.errorMessage}`,
      ],
      [
        'tokens',
        `in ${usage.inputTokens} (cache read ${usage.cacheReadTokens ?? 0}, cache write ${usage.cacheWriteTokens ?? 0}), ` +
          `out ${usage.outputTokens} (reasoning ${usage.reasoningTokens ?? 0})${usage.estimated ? ', estimated' : ''}`,
      ],
      ['cost', formatCost(trace.costUsd)],
      ['latency', `${trace.latencyMs} ms${trace.ttftMs === null ? '' : `, first token ${trace.ttftMs} ms`}`],
      ['expires', formatTime(trace.recordExpiresAt)],
    ]),
    '',
    formatTable(
      ['ATTEMPT', 'PROVIDER', 'MODEL', 'STATUS', 'HTTP', 'LATENCY', 'ERROR'],
      trace.attempts.map((attempt, i) => [
        String(i + 1),
        attempt.provider,
        attempt.model,
        attempt.status,
        attempt.httpStatus === undefined ? '-' : String(attempt.httpStatus),
        `${attempt.latencyMs} ms`,
        attempt.errorCode ? `${attempt.errorCode}: ${attempt.errorMessage ?? ''}` : '',
      ]),
    ),
  ];
  if (trace.warnings.length) out.push('', 'warnings:', ...trace.warnings.map((w) => `  ${w}`));
  if (trace.requestBody !== null) out.push('', 'request body:', trace.requestBody);
  if (trace.responseBody !== null) out.push('', 'response body:', trace.responseBody);
  return out.join('\n');
}

function describeGroup(group: TraceGroupDetail): string {
  const totals = group.totals;
  const unknown = totals.unknownCostCalls ? ` (+${totals.unknownCostCalls} calls of unknown cost)` : '';
  return [
    lines([
      ['group', `${group.id} (${group.name})`],
      ['status', group.status],
      ['created', formatTime(group.createdAt)],
      ['completed', formatTime(group.completedAt)],
      ['metadata', JSON.stringify(group.metadata)],
      ['calls', `${totals.calls} (${totals.errors} errors)`],
      ['tokens', `in ${totals.inputTokens}, out ${totals.outputTokens}`],
      ['cost', `${formatCost(totals.costUsd)}${unknown}`],
      ['latency', `${totals.latencyMs} ms in calls, ${totals.spanMs} ms from first start to last end`],
    ]),
    '',
    callsTable(group.calls),
  ].join('\n');
}
