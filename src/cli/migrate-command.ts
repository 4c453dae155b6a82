import type { Command } from 'commander';
import { openStore } from '../store/open-store.ts';
import { writeJson } from './format-table.ts';
import { DATABASE_HELP, type DatabaseOption, storeUrl, withStore } from './open-cli-store.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and print the ids applied')
    .option('--database <url>', DATABASE_HELP)
    .option('--json', 'print {"applied": [...]}')
    .action(async (options: DatabaseOption & { json?: boolean }) => {
      const url = storeUrl(options);
      const applied = await withStore(openStore(url, { migrate: false }), (store) => store.migrate());
      if (options.json) writeJson({ applied });
      else if (applied.length > 0) process.stdout.write(`${applied.join('\n')}\n`);
      else process.stderr.write('database is up to date: no migrations to apply\n');
    });
}
