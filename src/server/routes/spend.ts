// Spend report: requests, tokens and known cost grouped by model, provider, key, project or UTC day.
import { GatewayError } from '../../core/errors.ts';
import openAIChat from '../../ingress/openai-chat/index.ts';
import type { SpendGroupBy, SpendRow } from '../../store/store.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../routes.ts';
import { queryValues, timeRange } from './traces.ts';

export const SPEND_GROUPS: readonly SpendGroupBy[] = ['model', 'provider', 'key', 'project', 'day'];

export function parseGroupBy(value: string | undefined): SpendGroupBy {
  if (value === undefined) return 'model';
  if (!(SPEND_GROUPS as readonly string[]).includes(value)) {
    throw new GatewayError('invalid_request', `group_by must be one of: ${SPEND_GROUPS.join(', ')}`, {
      param: 'group_by',
    });
  }
  return value as SpendGroupBy;
}

/** The report as JSON (shared with `switchyard spend --json`); from/to echo the range as ISO times. */
export function spendJson(
  groupBy: SpendGroupBy,
  range: { from?: number; to?: number },
  rows: readonly SpendRow[],
): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    object: 'list',
    group_by: groupBy,
    from: iso(range.from),
    to: iso(range.to),
    data: rows.map((row) => ({
      group: row.group,
      requests: row.requests,
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      cost_usd: row.costUsd,
      unknown_cost_requests: row.unknownCostRequests,
    })),
  };
}

export const spendRoute: Route = {
  method: 'GET',
  pattern: '/v1/spend',
  errors: openAIChat,
  authenticated: true,
  async handle(context) {
    const values = queryValues(context.url.searchParams, ['group_by', 'from', 'to']);
    const groupBy = parseGroupBy(values.get('group_by'));
    const range = timeRange(values);
    const store = context.runtime.store;
    if (!store) throw new GatewayError('internal', 'The store is not open');
    await context.runtime.traceWriter?.flush();
    const rows = await store.spend({ groupBy, ...range });
    sendJson(context.response, 200, spendJson(groupBy, range, rows), { 'x-request-id': context.requestId });
  },
};
