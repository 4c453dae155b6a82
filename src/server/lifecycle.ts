import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from '../config/settings.ts';
import { createGatewayServer } from './app.ts';
import { attachObservability } from './attach-observability.ts';
import { attachStore } from './attach-store.ts';
import type { Runtime } from './runtime.ts';

export interface RunningGateway {
  server: Server;
  url: string;
  port: number;
  /** stops accepting, lets in-flight requests and streams finish up to the deadline, then closes */
  shutdown(): Promise<void>;
}

export async function startGateway(runtime: Runtime): Promise<RunningGateway> {
  const { host, port, masterKey } = runtime.settings;
  if (!masterKey && !isLoopback(host)) {
    throw new Error(
      `Refusing to listen on ${host} without SWITCHYARD_MASTER_KEY: set a gateway key or bind to 127.0.0.1`,
    );
  }
  if (!runtime.store) await attachStore(runtime, runtime.env);
  if (!runtime.metrics) await attachObservability(runtime);
  const server = createGatewayServer(runtime);
  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_request, response) => {
    inFlight++;
    response.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      runtime.shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, runtime.settings.shutdownTimeoutMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await runtime.close();
    })();
    return closing;
  };
  return { server, url: `http://${shownHost}:${address.port}`, port: address.port, shutdown };
}
