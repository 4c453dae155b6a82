#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/load-config.ts';
import { registerConfigCommands } from './config-commands.ts';
import { registerMigrateCommand } from './migrate-command.ts';
import { registerModelsCommands } from './models-commands.ts';
import { registerSpendCommand } from './spend-command.ts';
import { registerTracesCommands } from './traces-commands.ts';

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('not a port number');
  return parsed;
}

const program = new Command()
  .name('switchyard')
  .description('One HTTP endpoint in front of every LLM provider')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('start the gateway (default 127.0.0.1:8080, embedded store)')
  .option('--port <port>', 'port to listen on (env PORT)', port)
  .option('--host <host>', 'address to bind (env HOST)')
  .option(
    '-c, --config <file>',
    'config file (env SWITCHYARD_CONFIG; default ./switchyard.yaml when present)',
  )
  .action(async (options: { port?: number; host?: string; config?: string }) => {
    // loaded on demand: the other commands start without the whole gateway
    const { serve } = await import('./serve.ts');
    await serve(options);
  });

registerConfigCommands(program);
registerMigrateCommand(program);
registerTracesCommands(program);
registerSpendCommand(program);
registerModelsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`switchyard: ${(error as Error).message}\n`);
  process.exit(1);
}
