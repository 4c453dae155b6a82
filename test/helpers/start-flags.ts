import { readFileSync } from 'node:fs';

/** package.json's `npm start` script, and the Node flags it passes before dist/main.js. */
export const START_SCRIPT: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).scripts.start;

export const START_FLAGS: readonly string[] = START_SCRIPT.split(/\s+/).filter((word) =>
  word.startsWith('--'),
);
