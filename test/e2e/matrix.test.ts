// The cross matrix: every ingress × every provider, plain and streamed, for a text answer, a tool call
// and an upstream error. One gateway and one fake per provider serve every cell; each cell's output is
// read back by the ingress protocol's official SDK (openai, @anthropic-ai/sdk, @google/genai).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { ingressCases } from './matrix-ingresses.ts';
import { type ProviderFleet, type ProviderName, startProviderFleet, TEXT, TOOL } from './matrix-providers.ts';

let fleet: ProviderFleet;
let gateway: TestGateway;

before(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ env: fleet.env, config: fleet.config });
});
after(async () => {
  await gateway.close();
  await fleet.close();
});

const INGRESSES = ingressCases(() => gateway.url);
const PROVIDERS: ProviderName[] = ['openai', 'anthropic', 'gemini', 'bedrock', 'cohere'];
/** The provider table needs the fake servers, which exist once `before` has run. */
const providerNamed = (name: ProviderName) => fleet.cases.find((candidate) => candidate.name === name)!;

for (const ingress of INGRESSES) {
  for (const providerName of PROVIDERS) {
    const cell = `${ingress.name} → ${providerName}`;
    describe(cell, () => {
      beforeEach(() => providerNamed(providerName).server.reset());
      for (const stream of [false, true]) {
        const mode = stream ? 'streamed' : 'plain';

        test(`${cell}, ${mode}: text`, async () => {
          const provider = providerNamed(providerName);
          provider.server.enqueue(provider.text(stream));
          const answer = await ingress.ask(provider.model, stream, false);
          assert.equal(answer.text, TEXT);
          assert.equal(answer.call, undefined);
          assert.equal(answer.finish, ingress.finish.text);
          assert.equal(provider.server.requests.length, 1);
        });

        test(`${cell}, ${mode}: tool call`, { skip: ingress.noTools }, async () => {
          const provider = providerNamed(providerName);
          provider.server.enqueue(provider.tool(stream));
          const answer = await ingress.ask(provider.model, stream, true);
          assert.deepEqual(answer.call, { name: TOOL.name, args: TOOL.args });
          assert.equal(answer.finish, ingress.finish.tool);
          assert.equal(provider.server.requests.length, 1);
          assert.deepEqual(provider.toolNamesSent(provider.server.requests[0].json), [TOOL.name]);
        });

        test(`${cell}, ${mode}: upstream error`, async () => {
          const provider = providerNamed(providerName);
          // every attempt fails the same way, however many the routing settings allow
          provider.server.setFallback(provider.error.reply);
          const caught = await ingress
            .ask(provider.model, stream, false)
            .then(
              () => assert.fail('the request should have failed'),
              (error: unknown) => error,
            )
            .finally(() => provider.server.setFallback({ status: 500 }));
          assert.ok(
            caught instanceof ingress.errorClass,
            `expected the SDK's ${ingress.errorClass.name}, got ${String(caught)}`,
          );
          assert.equal(ingress.statusOf(caught), provider.error.status);
          assert.ok(provider.server.requests.length >= 1);
        });
      }
    });
  }
}
