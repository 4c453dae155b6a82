// Fails loudly when CI cannot reach the services its suites need.
import { createConnection } from 'node:net';

function reachable(url: string, defaultPort: number): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () =>
      reject(new Error(`timed out connecting to ${hostname}:${port || defaultPort}`)),
    );
    socket.once('error', reject);
  });
}

const checks: Array<[string, string | undefined, number]> = [
  ['PostgreSQL', process.env.SWITCHYARD_TEST_POSTGRES_URL, 5432],
  ['Redis', process.env.SWITCHYARD_TEST_REDIS_URL, 6379],
];
let failed = false;
for (const [name, url, port] of checks) {
  if (!url) continue;
  try {
    await reachable(url, port);
    process.stdout.write(`${name} reachable at ${new URL(url).host}\n`);
  } catch (error) {
    failed = true;
    process.stderr.write(`${name} is NOT reachable at ${url}: ${(error as Error).message}\n`);
  }
}
if (failed) process.exit(1);
