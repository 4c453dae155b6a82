// The bench targets claim to run Switchyard the way `npm start` does; a flag added to one and not the
// other would make every benchmark figure describe a process nobody runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { START_FLAGS as startFlags, START_SCRIPT as startScript } from '../helpers/start-flags.ts';

const root = join(import.meta.dirname, '..', '..');

test('npm start runs the bundle with its Node flags', () => {
  assert.match(startScript, /^node (--\S+ )+dist\/main\.js serve$/);
  assert.ok(startFlags.includes('--no-maglev'));
  assert.ok(startFlags.includes('--no-memory-reducer'));
});

const switchyardTargets = readdirSync(join(root, 'bench')).filter(
  (name) => name.startsWith('switchyard') && name.endsWith('.target.json'),
);

test('there are Switchyard bench targets to check', () => {
  assert.ok(switchyardTargets.length >= 5, switchyardTargets.join(', '));
});

for (const name of switchyardTargets) {
  test(`${name} starts Switchyard with npm start's Node flags`, () => {
    const target = JSON.parse(readFileSync(join(root, 'bench', name), 'utf8'));
    const command: string[] = target.start.command;
    const main = command.findIndex((word) => word.endsWith('/dist/main.js'));
    assert.ok(main > 0, `${name}: no dist/main.js in ${command.join(' ')}`);
    assert.deepEqual(command.slice(1, main), startFlags);
    assert.equal(command[main + 1], 'serve');
  });
}
