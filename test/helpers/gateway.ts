import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFile } from '../../src/config/schema.ts';
import { type RunningGateway, startGateway } from '../../src/server/lifecycle.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';

export interface TestGateway extends RunningGateway {
  runtime: Runtime;
  close(): Promise<void>;
}

/** Starts the real gateway in-process on a free loopback port with exactly the given environment. */
export async function startTestGateway(
  options: { env?: NodeJS.ProcessEnv; config?: ConfigFile } = {},
): Promise<TestGateway> {
  const runtime = createRuntime({
    env: {
      SWITCHYARD_DATABASE_URL: 'sqlite::memory:',
      SWITCHYARD_TRACE_JOURNAL: join(mkdtempSync(join(tmpdir(), 'sy-journal-')), 'journal.ndjson'),
      ...options.env,
      PORT: '0',
      HOST: '127.0.0.1',
    },
    config: options.config ?? {},
    logger: createLogger('silent'),
  });
  const gateway = await startGateway(runtime);
  return { ...gateway, runtime, close: () => gateway.shutdown() };
}

/** A JSON reply body, typed loosely for assertions. */
export async function jsonOf(
  response: Response,
): Promise<{ error: Record<string, unknown>; status?: string } & Record<string, unknown>> {
  return (await response.json()) as { error: Record<string, unknown> } & Record<string, unknown>;
}

/** Token counts of an OpenAI-shaped usage object without the gateway's `cost` (asserted on its own elsewhere). */
export function tokenUsage(usage: unknown): unknown {
  if (!usage || typeof usage !== 'object') return usage;
  const { cost: _cost, ...tokens } = usage as Record<string, unknown>;
  return tokens;
}
