// What re-encoding a passthrough request body costs against keeping the client's bytes
// (src/routing/passthrough-body.ts), for chat bodies from a short prompt to a long conversation.
// Run with the repo's Node: node_modules/.bin/node bench/passthrough-body.mjs
import { encodePassthroughBody, KEEP_BYTES_FROM } from '../src/wire/passthrough-body.ts';

function chatBody(turns) {
  const messages = [{ role: 'system', content: 'You are a helpful assistant. Answer briefly.' }];
  for (let i = 0; i < turns; i++) {
    messages.push({
      role: 'user',
      content: `Question ${i}: ${'what about the "weather" in Zürich — '.repeat(8)}`,
    });
    messages.push({
      role: 'assistant',
      content: `Answer ${i}: ${'it is sunny, 21 °C, with a light breeze.\n'.repeat(8)}`,
    });
  }
  return JSON.stringify({ model: 'openai/gpt-4o-mini', messages, temperature: 0.2, stream: true });
}

function measure(fn, minMs = 400) {
  for (let i = 0; i < 200; i++) fn();
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs * 1e6) {
    for (let i = 0; i < 50; i++) fn();
    runs += 50;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return elapsed / runs / 1000; // µs per call
}

console.log(`bodies from ${KEEP_BYTES_FROM} bytes keep the client's bytes\n`);
console.log('| body | JSON.stringify µs | kept bytes µs | speed-up |');

console.log('|---|---|---|---|');
for (const turns of [0, 1, 2, 4, 8, 64, 512]) {
  const text = chatBody(turns);
  const raw = Buffer.from(text);
  const original = JSON.parse(text);
  const edit = () => {
    const body = { ...original };
    body.model = 'gpt-4o-mini';
    body.stream_options = { include_usage: true };
    return body;
  };
  // both as the bytes that go on the wire (a string is UTF-8 encoded when written)
  const wire = (body) => (typeof body === 'string' ? Buffer.from(body) : body);
  const stringify = measure(() => wire(JSON.stringify(edit())));
  // the kept-bytes path whatever the size, to show where it starts to pay (KEEP_BYTES_FROM)
  const kept = measure(() => wire(encodePassthroughBody(raw, original, edit(), 0)));
  const size = raw.length < 10240 ? `${raw.length} B` : `${Math.round(raw.length / 1024)} KiB`;
  console.log(
    `| ${size} | ${stringify.toFixed(2)} | ${kept.toFixed(2)} | ${(stringify / kept).toFixed(1)}× |`,
  );
}
