// What re-encoding a passthrough request body costs against keeping the client's bytes
// (src/wire/passthrough-body.ts), for chat bodies from a short prompt to a long conversation. The members
// are walked up to the last one that changes: the model first (as SDKs send it) is the common case; the
// model last walks every member. KEEP_BYTES_FROM and WALK_ALL_FROM are set from where each starts to pay.
// Run with the repo's Node: node_modules/.bin/node bench/passthrough-body.mjs
import { encodePassthroughBody, KEEP_BYTES_FROM, WALK_ALL_FROM } from '../src/wire/passthrough-body.ts';

function chatBody(turns, modelLast = false) {
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
  const body = { messages, temperature: 0.2, stream: true };
  return JSON.stringify(
    modelLast ? { ...body, model: 'openai/gpt-4o-mini' } : { model: 'openai/gpt-4o-mini', ...body },
  );
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

console.log(
  `bodies from ${KEEP_BYTES_FROM} bytes keep the client's bytes; from ${WALK_ALL_FROM} when the model comes last\n`,
);
console.log('| body | JSON.stringify µs | kept, model first µs | kept, model last µs |');
console.log('|---|---|---|---|');
for (const turns of [0, 1, 2, 4, 8, 64, 512]) {
  const kept = [false, true].map((modelLast) => {
    const text = chatBody(turns, modelLast);
    const raw = Buffer.from(text);
    const original = JSON.parse(text);
    // the kept-bytes path whatever the size, to show where it starts to pay
    const always = { keepBytesFrom: 0, walkAllFrom: 0 };
    return measure(() => wire(encodePassthroughBody(raw, original, edit(original), always)));
  });
  const text = chatBody(turns);
  const original = JSON.parse(text);
  const stringify = measure(() => wire(JSON.stringify(edit(original))));
  const size = text.length < 10240 ? `${text.length} B` : `${Math.round(text.length / 1024)} KiB`;
  console.log(`| ${size} | ${stringify.toFixed(2)} | ${kept[0].toFixed(2)} | ${kept[1].toFixed(2)} |`);
}

function edit(original) {
  const body = { ...original };
  body.model = 'gpt-4o-mini';
  body.stream_options = { include_usage: true };
  return body;
}

/** both as the bytes that go on the wire (a string is UTF-8 encoded when written) */
function wire(body) {
  return typeof body === 'string' ? Buffer.from(body) : body;
}
