import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartialArgsWriter, parseJsonPath } from './partial-args.ts';

describe('gemini PartialArgsWriter', () => {
  it('writes nested objects and arrays of objects piece by piece into valid JSON', () => {
    const writer = new PartialArgsWriter();
    const deltas = [
      writer.write([{ jsonPath: '$.recipe.name', stringValue: 'Lasa', willContinue: true }]),
      writer.write([{ jsonPath: '$.recipe.name', stringValue: 'gna' }]),
      writer.write([
        { jsonPath: '$.recipe.ingredients[0].item', stringValue: 'pasta' },
        { jsonPath: '$.recipe.ingredients[0].grams', numberValue: 500 },
        { jsonPath: '$.recipe.ingredients[1].item', stringValue: 'tomato' },
        { jsonPath: '$.vegan', boolValue: false },
        { jsonPath: '$.note', nullValue: 'NULL_VALUE' },
      ]),
      writer.finish(),
    ];
    assert.deepEqual(deltas, [
      '{"recipe":{"name":"Lasa',
      'gna"',
      ',"ingredients":[{"item":"pasta","grams":500},{"item":"tomato"}]},"vegan":false,"note":null',
      '}',
    ]);
    assert.deepEqual(JSON.parse(deltas.join('')), {
      recipe: {
        name: 'Lasagna',
        ingredients: [{ item: 'pasta', grams: 500 }, { item: 'tomato' }],
      },
      vegan: false,
      note: null,
    });
  });

  it('an unfinished string is closed by finish; no arguments gives {}', () => {
    const writer = new PartialArgsWriter();
    const text =
      writer.write([{ jsonPath: '$.q', stringValue: 'a\nb', willContinue: true }]) + writer.finish();
    assert.equal(text, '{"q":"a\\nb"}');
    assert.equal(new PartialArgsWriter().finish(), '{}');
  });

  it('value-less entries open containers; `[]` paths are empty arrays', () => {
    const writer = new PartialArgsWriter();
    const text =
      writer.write([{ jsonPath: '$.filters' }, { jsonPath: '$.filters' }, { jsonPath: '$.tags[]' }]) +
      writer.finish();
    assert.deepEqual(JSON.parse(text), { filters: {}, tags: [] });
  });

  it('parses JSON paths with dots, indexes and quoted names', () => {
    assert.deepEqual(parseJsonPath('$.a.b[2].c'), ['a', 'b', 2, 'c']);
    assert.deepEqual(parseJsonPath("$['x y'][0]"), ['x y', 0]);
    assert.equal(parseJsonPath('a.b'), undefined);
    assert.deepEqual(parseJsonPath('$'), []);
  });
});
