import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  encodePassthroughBody,
  KEEP_BYTES_FROM,
  topLevelMembers,
  WALK_ALL_FROM,
} from './passthrough-body.ts';

type Body = Record<string, unknown>;

function encode(text: string, edit: (body: Body) => void) {
  const raw = Buffer.from(text);
  const original = JSON.parse(text) as Body;
  const edited = { ...original };
  edit(edited);
  // every size takes the kept-bytes path here; the size thresholds have their own test
  const out = encodePassthroughBody(raw, original, edited, { keepBytesFrom: 0, walkAllFrom: 0 });
  return { raw, out, text: out.toString(), edited };
}

const CHAT = `{
  "model" : "openai/gpt-4o-mini",
  "messages": [{"role": "user", "content": "quote \\" brace } bracket ] comma , \\\\"},
               {"role":"assistant","content":"naïve — 你好 \\u00e9"}],
  "temperature": 0.5e-1, "logprobs": true, "stop": null
}`;

describe('encodePassthroughBody', () => {
  it("sends the client's own bytes when nothing changed", () => {
    const { raw, out } = encode(CHAT, () => {});
    assert.equal(out, raw);
  });

  it('rewrites only the changed member and keeps every other byte of the client', () => {
    const { text, edited } = encode(CHAT, (body) => {
      body.model = 'gpt-4o-mini';
    });
    assert.deepEqual(JSON.parse(text), edited);
    assert.ok(text.startsWith('{"model":"gpt-4o-mini",'));
    const messages = CHAT.slice(CHAT.indexOf('"messages"'), CHAT.indexOf('],\n') + 1);
    assert.ok(text.includes(messages), 'the messages member is the client bytes, whitespace included');
    assert.ok(text.includes('"temperature": 0.5e-1'));
  });

  it('removes deleted members wherever they stand and appends added ones', () => {
    for (const field of ['model', 'messages', 'logprobs', 'stop']) {
      const { text, edited } = encode(CHAT, (body) => {
        delete body[field];
        body.stream_options = { include_usage: true };
      });
      assert.deepEqual(JSON.parse(text), edited, field);
      assert.ok(text.endsWith(',"stream_options":{"include_usage":true}}'), field);
    }
  });

  it('renames a member (delete plus add) and drops members set to undefined', () => {
    const { text, edited } = encode(CHAT, (body) => {
      body.max_tokens = body.temperature;
      delete body.temperature;
      body.stop = undefined;
    });
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(edited)));
    assert.ok(!text.includes('"stop"'));
  });

  it('handles empty objects and removing every member', () => {
    assert.equal(encode('{ }', (body) => Object.assign(body, { a: 1 })).text, '{"a":1}');
    const emptied = encode('{"a":1,"b":[2]}', (body) => {
      delete body.a;
      delete body.b;
    });
    assert.equal(emptied.text, '{}');
  });

  it('keeps the bytes after the last changed member as one slice from KEEP_BYTES_FROM, encodes smaller bodies', () => {
    const body = (size: number) =>
      `{"model": "a",\n "messages": [ {"role": "user", "content": "${'x'.repeat(size)}"} ] ,"n" :1 }`;
    const small = body(0);
    const large = body(KEEP_BYTES_FROM);
    for (const [text, expected] of [
      [small, JSON.stringify({ ...JSON.parse(small), model: 'b' })],
      [large, `{"model":"b",${large.slice(large.indexOf('"messages"'), large.lastIndexOf('1') + 1)}}`],
    ]) {
      const original = JSON.parse(text) as Body;
      const out = encodePassthroughBody(Buffer.from(text), original, { ...original, model: 'b' });
      assert.equal(out.toString(), expected);
    }
  });

  it('walks every member when a changed key may occur again, from WALK_ALL_FROM; encodes smaller bodies', () => {
    // "model" as a string later on could be a second member: the later bytes are looked at member by member
    const body = (size: number) =>
      `{"model": "a", "messages": [{"role": "user", "content": "model"}, "${'x'.repeat(size)}"], "n": 1}`;
    const between = body(KEEP_BYTES_FROM);
    const large = body(WALK_ALL_FROM);
    for (const [text, expected] of [
      [between, JSON.stringify({ ...JSON.parse(between), model: 'b' })],
      [large, large.replace('"model": "a", ', '"model":"b",').replace(', "n"', ',"n"')],
    ]) {
      const original = JSON.parse(text) as Body;
      const out = encodePassthroughBody(Buffer.from(text), original, { ...original, model: 'b' });
      assert.equal(out.toString(), expected);
    }
  });

  it('falls back to JSON.stringify when a changed key is duplicated or written with escapes', () => {
    for (const text of ['{"model":"a","model":"b","x":1}', '{"x":1,"model":"a","model":"b"}']) {
      const duplicate = encode(text, (body) => {
        body.model = 'c';
      });
      assert.equal(duplicate.text, JSON.stringify(duplicate.edited), text);
    }
    const escapedKey = encode('{"mod\\u0065l":"a","x":1}', (body) => {
      body.model = 'b';
    });
    assert.equal(escapedKey.text, JSON.stringify(escapedKey.edited));
    // a later duplicate written with escapes is the member JSON.parse keeps
    const escapedLater = encode('{"model":"a","x":1,"mod\\u0065l":"b"}', (body) => {
      body.model = 'c';
    });
    assert.equal(escapedLater.text, '{"model":"c","x":1}');
  });

  it('keeps later members with escapes that cannot spell a changed key, and only word-character keys', () => {
    // Python's json.dumps escapes every non-ASCII character, Go's encoder <, > and &
    const escapes = encode('{"model":"a","messages":[{"content":"caf\\u00e9 \\u003cb\\u003e"}]}', (body) => {
      body.model = 'b';
    });
    assert.equal(escapes.text, '{"model":"b","messages":[{"content":"caf\\u00e9 \\u003cb\\u003e"}]}');
    // a key that is not word characters is not looked for: below WALK_ALL_FROM the body is encoded
    const dashed = '{"x-y":1, "messages": [ ]}';
    const original = JSON.parse(dashed) as Body;
    const out = encodePassthroughBody(
      Buffer.from(dashed),
      original,
      { ...original, 'x-y': 2 },
      { keepBytesFrom: 0 },
    );
    assert.equal(out.toString(), '{"x-y":2,"messages":[]}');
  });

  it('forwards a duplicated member it does not change as the client wrote it, as when nothing changes', () => {
    const { text } = encode('{"model":"a","model":"b","x":1}', (body) => {
      body.x = 2;
    });
    assert.equal(text, '{"model":"a","model":"b","x":2}');
  });

  it('matches JSON.parse on random documents with random edits', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const atoms = ['x', 'a"b', 'c\\', '}]{[,:', 'ü€😀', '', '\\"', 'm1', 1, -2.5e10, 0, true, false, null];
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth > 2 || roll < 0.5) return pick(atoms);
      if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, (_, i) => [
          `${pick(['k', 'm'])}${i}${pick(['', '"', 'é'])}`,
          value(depth + 1),
        ]),
      );
    };
    for (let round = 0; round < 300; round++) {
      const doc = Object.fromEntries(
        Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => [`m${i}`, value(0)]),
      );
      const text = JSON.stringify(doc, null, pick([0, 1, '\t', ' \n ']));
      const { text: out, edited } = encode(text, (body) => {
        const keys = Object.keys(body);
        for (let n = Math.floor(random() * 3); n > 0; n--) {
          const key = pick(keys);
          const action = random();
          if (action < 0.3) delete body[key];
          else if (action < 0.6) body[key] = value(0);
          else body[`new${n}`] = value(0);
        }
      });
      assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(edited)), `round ${round}: ${text}`);
    }
  });
});

describe('topLevelMembers', () => {
  it('spans each member from its key to the end of its value', () => {
    const text = ' { "a" : [1, {"b": "}"}] , "c":"\\\\" ,"d": -1.5 } ';
    const members = topLevelMembers(Buffer.from(text));
    assert.deepEqual(
      members?.map((member) => [member.key, text.slice(member.start, member.end)]),
      [
        ['a', '"a" : [1, {"b": "}"}]'],
        ['c', '"c":"\\\\"'],
        ['d', '"d": -1.5'],
      ],
    );
  });

  it('is undefined for a body that is not an object', () => {
    assert.equal(topLevelMembers(Buffer.from('[1,2]')), undefined);
  });
});
