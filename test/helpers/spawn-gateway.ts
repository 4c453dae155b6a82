import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SpawnedGateway {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, read from the "listening on" line */
  url: string;
}

/**
 * Runs `switchyard serve --port 0` from `entry` (src/cli/main.ts or the built dist/main.js) as its own
 * process, OpenAI pointed at `openAIBaseUrl`, no config file, silent logs; `env` adds or overrides, and
 * `nodeFlags` go to Node before the entry.
 */
export async function spawnGateway(
  entry: string,
  openAIBaseUrl: string,
  env: Record<string, string> = {},
  nodeFlags: readonly string[] = [],
): Promise<SpawnedGateway> {
  const child = spawn(process.execPath, [...nodeFlags, entry, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: openAIBaseUrl,
      LOG_LEVEL: 'silent',
      SWITCHYARD_CONFIG: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, url: /listening on (\S+)/.exec(line.toString())![1] };
}
