import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeWarnings } from './warnings-header.ts';

describe('encodeWarnings', () => {
  it('splits back into the same number of warnings when one contains a semicolon', () => {
    const warnings = [
      'tool result: no matching tool call to name it; the call id is used as the name',
      'logprobs: not supported by groq, dropped',
    ];
    const header = encodeWarnings(warnings);
    assert.deepEqual(header.split('; '), [
      'tool result: no matching tool call to name it, the call id is used as the name',
      'logprobs: not supported by groq, dropped',
    ]);
  });

  it('replaces characters a header value cannot carry', () => {
    assert.equal(encodeWarnings(['température: ignored\n']), 'temp?rature: ignored?');
  });
});
