import type { Command } from 'commander';
import { loadConfigFile, resolveConfigPath } from '../config/load-config.ts';
import { configJsonSchema } from '../config/schema.ts';
import { knownProviderTypes } from '../providers/registry.ts';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('work with switchyard.yaml');
  config
    .command('validate')
    .description('validate the config file without starting')
    .option('-c, --config <file>', 'config file (env SWITCHYARD_CONFIG; default ./switchyard.yaml)')
    .action((options: { config?: string }) => {
      const file = resolveConfigPath(options.config ?? program.opts().config, process.env);
      if (!file) {
        process.stderr.write(
          'No config file: pass --config, set SWITCHYARD_CONFIG or create ./switchyard.yaml\n',
        );
        process.exit(2);
      }
      const parsed = loadConfigFile(file, process.env, knownProviderTypes());
      const models = parsed.models?.length ?? 0;
      const providers = Object.keys(parsed.providers ?? {}).length;
      process.stdout.write(`${file}: valid (${providers} providers, ${models} models)\n`);
    });
  config
    .command('schema')
    .description('print the JSON Schema of the config file')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
