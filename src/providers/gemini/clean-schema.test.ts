import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanParametersSchema, cleanSchema } from './clean-schema.ts';

describe('gemini cleanSchema', () => {
  it('removes keywords Gemini rejects and keeps the supported ones', () => {
    assert.deepEqual(
      cleanSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'urn:x',
        type: 'object',
        title: 'Args',
        description: 'the args',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: 20,
            pattern: '^[a-z]+$',
            default: 'bob',
            examples: ['al'],
          },
          age: { type: 'integer', minimum: 0, maximum: 150, exclusiveMinimum: 0, multipleOf: 1 },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
        },
        required: ['name', 'ghost'],
      }),
      {
        type: 'object',
        title: 'Args',
        description: 'the args',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[a-z]+$' },
          age: { type: 'integer', minimum: 0, maximum: 150 },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        },
        required: ['name'],
      },
    );
  });

  it('inlines $ref from $defs and definitions, cuts recursion', () => {
    assert.deepEqual(
      cleanSchema({
        type: 'object',
        properties: {
          home: { $ref: '#/$defs/Address', description: 'home address' },
          work: { $ref: '#/definitions/Alias' },
          boss: { $ref: '#/$defs/Person' },
        },
        $defs: {
          Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          Person: { type: 'object', properties: { manager: { $ref: '#/$defs/Person' } } },
        },
        definitions: { Alias: { $ref: '#/$defs/Address' } },
      }),
      {
        type: 'object',
        properties: {
          home: {
            type: 'object',
            description: 'home address',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          work: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          boss: { type: 'object', properties: { manager: { type: 'object' } } },
        },
      },
    );
  });

  it('const → enum, type arrays → nullable / anyOf, oneOf → anyOf, null members → nullable', () => {
    assert.deepEqual(
      cleanSchema({
        type: 'object',
        properties: {
          kind: { const: 'circle' },
          level: { const: 3 },
          note: { type: ['string', 'null'] },
          id: { type: ['string', 'integer'] },
          choice: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          maybe: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
        },
      }),
      {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['circle'] },
          level: { type: 'integer' },
          note: { type: 'string', nullable: true },
          id: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
          choice: { anyOf: [{ type: 'string' }, { type: 'number' }] },
          maybe: { type: 'boolean', nullable: true },
        },
      },
    );
  });

  it('merges allOf and keeps only the formats Gemini accepts', () => {
    assert.deepEqual(
      cleanSchema({
        allOf: [
          {
            type: 'object',
            properties: { when: { type: 'string', format: 'date-time' } },
            required: ['when'],
          },
          { properties: { email: { type: 'string', format: 'email' } }, required: ['email'] },
        ],
        properties: {
          ratio: { type: 'number', format: 'double' },
          count: { type: 'integer', format: 'uint8' },
        },
      }),
      {
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          email: { type: 'string' },
          ratio: { type: 'number', format: 'double' },
          count: { type: 'integer' },
        },
        required: ['when', 'email'],
      },
    );
  });

  it('drops empty properties objects', () => {
    assert.deepEqual(
      cleanSchema({ type: 'object', properties: { opts: { type: 'object', properties: {} } } }),
      {
        type: 'object',
        properties: { opts: { type: 'object' } },
      },
    );
  });
});

describe('gemini cleanParametersSchema', () => {
  it('a schema with no properties means no parameters', () => {
    assert.equal(
      cleanParametersSchema({ type: 'object', properties: {}, additionalProperties: false }),
      undefined,
    );
    assert.equal(cleanParametersSchema(undefined), undefined);
  });

  it('a schema with properties is cleaned', () => {
    assert.deepEqual(
      cleanParametersSchema({
        type: 'object',
        properties: { q: { type: 'string' } },
        additionalProperties: false,
      }),
      { type: 'object', properties: { q: { type: 'string' } } },
    );
  });
});
