import { startGateway } from '../server/lifecycle.ts';
import { createRuntime } from '../server/runtime.ts';
import { closeTransport } from '../transport/http-client.ts';

export async function serve(options: { port?: number; host?: string; config?: string }): Promise<void> {
  const runtime = createRuntime({
    configPath: options.config,
    flags: { port: options.port, host: options.host },
  });
  const gateway = await startGateway(runtime);
  const providers = [...runtime.registry.providers.keys()];
  runtime.logger.info({ url: gateway.url, providers, config: runtime.configFile }, 'switchyard listening');
  process.stdout.write(
    `switchyard listening on ${gateway.url} (providers: ${providers.length ? providers.join(', ') : 'none active'})\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'shutting down');
    void gateway
      .shutdown()
      .then(() => closeTransport())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
