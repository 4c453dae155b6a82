// The client side of the cross matrix: each ingress driven by its protocol's official SDK, which parses
// what the gateway wrote (plain or streamed) back into the text, the tool call and the finish reason.
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, type FunctionCall, GoogleGenAI } from '@google/genai';
import OpenAI, { AzureOpenAI } from 'openai';
import { TOOL } from './matrix-providers.ts';

export interface Answer {
  text: string;
  /** the first tool call, with parsed arguments */
  call?: { name: string; args: unknown };
  finish: string | null | undefined;
}

export interface IngressCase {
  name: string;
  /** why this ingress has no tool cells, when it has none */
  noTools?: string;
  /** the finish reasons this protocol reports for a text answer and for a tool call */
  finish: { text: string; tool: string };
  /** the SDK's error class; an upstream error must surface as one, with the upstream's status */
  errorClass: new (
    ...args: never[]
  ) => Error;
  statusOf(error: unknown): number | undefined;
  ask(model: string, stream: boolean, withTool: boolean): Promise<Answer>;
}

const PROMPT = 'What is the weather in Paris?';

const parse = (args: string): unknown => JSON.parse(args);

function openAIChatCase(name: string, client: (model: string) => OpenAI): IngressCase {
  const tools = [
    {
      type: 'function' as const,
      function: { name: TOOL.name, description: TOOL.description, parameters: { ...TOOL.parameters } },
    },
  ];
  return {
    name,
    finish: { text: 'stop', tool: 'tool_calls' },
    errorClass: OpenAI.APIError,
    statusOf: (error) => (error as InstanceType<typeof OpenAI.APIError>).status,
    async ask(model, stream, withTool) {
      const body = {
        model,
        messages: [{ role: 'user' as const, content: PROMPT }],
        ...(withTool ? { tools } : {}),
      };
      const completion = stream
        ? await client(model)
            .chat.completions.stream({ ...body, stream_options: { include_usage: true } })
            .finalChatCompletion()
        : await client(model).chat.completions.create(body);
      const choice = completion.choices[0];
      const call = choice.message.tool_calls?.[0];
      return {
        text: choice.message.content ?? '',
        call:
          call?.type === 'function'
            ? { name: call.function.name, args: parse(call.function.arguments) }
            : undefined,
        finish: choice.finish_reason,
      };
    },
  };
}

function responsesCase(client: () => OpenAI): IngressCase {
  const tools = [
    {
      type: 'function' as const,
      name: TOOL.name,
      description: TOOL.description,
      strict: false,
      parameters: { ...TOOL.parameters },
    },
  ];
  return {
    name: 'openai-responses',
    finish: { text: 'completed', tool: 'completed' },
    errorClass: OpenAI.APIError,
    statusOf: (error) => (error as InstanceType<typeof OpenAI.APIError>).status,
    async ask(model, stream, withTool) {
      const body = { model, input: PROMPT, ...(withTool ? { tools } : {}) };
      const response = stream
        ? await client().responses.stream(body).finalResponse()
        : await client().responses.create(body);
      const call = response.output.find((item) => item.type === 'function_call');
      return {
        text: response.output_text,
        call: call?.type === 'function_call' ? { name: call.name, args: parse(call.arguments) } : undefined,
        finish: response.status,
      };
    },
  };
}

function completionsCase(client: () => OpenAI): IngressCase {
  return {
    name: 'openai-completions',
    noTools: 'legacy /v1/completions has no tools',
    finish: { text: 'stop', tool: 'stop' },
    errorClass: OpenAI.APIError,
    statusOf: (error) => (error as InstanceType<typeof OpenAI.APIError>).status,
    async ask(model, stream) {
      if (!stream) {
        const completion = await client().completions.create({ model, prompt: PROMPT, max_tokens: 64 });
        return { text: completion.choices[0].text, finish: completion.choices[0].finish_reason };
      }
      const chunks = await client().completions.create({
        model,
        prompt: PROMPT,
        max_tokens: 64,
        stream: true,
      });
      let text = '';
      let finish: string | null | undefined;
      for await (const chunk of chunks) {
        for (const choice of chunk.choices) {
          text += choice.text;
          finish = choice.finish_reason ?? finish;
        }
      }
      return { text, finish };
    },
  };
}

function messagesCase(client: () => Anthropic): IngressCase {
  const tools = [
    {
      name: TOOL.name,
      description: TOOL.description,
      input_schema: { ...TOOL.parameters, type: 'object' as const },
    },
  ];
  return {
    name: 'anthropic-messages',
    finish: { text: 'end_turn', tool: 'tool_use' },
    errorClass: Anthropic.APIError,
    statusOf: (error) => (error as InstanceType<typeof Anthropic.APIError>).status,
    async ask(model, stream, withTool) {
      const body = {
        model,
        max_tokens: 256,
        messages: [{ role: 'user' as const, content: PROMPT }],
        ...(withTool ? { tools } : {}),
      };
      const message = stream
        ? await client().messages.stream(body).finalMessage()
        : await client().messages.create(body);
      const call = message.content.find((block) => block.type === 'tool_use');
      return {
        text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
        call: call?.type === 'tool_use' ? { name: call.name, args: call.input } : undefined,
        finish: message.stop_reason,
      };
    },
  };
}

function geminiCase(ai: () => GoogleGenAI): IngressCase {
  const config = {
    tools: [
      {
        functionDeclarations: [
          { name: TOOL.name, description: TOOL.description, parametersJsonSchema: TOOL.parameters },
        ],
      },
    ],
  };
  return {
    name: 'gemini',
    finish: { text: 'STOP', tool: 'STOP' },
    errorClass: ApiError,
    statusOf: (error) => (error as ApiError).status,
    async ask(model, stream, withTool) {
      const request = { model, contents: PROMPT, ...(withTool ? { config } : {}) };
      const calls: FunctionCall[] = [];
      let text = '';
      let finish: string | undefined;
      const chunks = stream
        ? await ai().models.generateContentStream(request)
        : [await ai().models.generateContent(request)];
      for await (const chunk of chunks) {
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (part.text && !part.thought) text += part.text;
          if (part.functionCall) calls.push(part.functionCall);
        }
        finish = candidate?.finishReason ?? finish;
      }
      const call = calls[0];
      return { text, call: call ? { name: call.name ?? '', args: call.args } : undefined, finish };
    },
  };
}

/** Created on first use, once the gateway (and its URL) exists. */
function lazy<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

/** Every ingress, each with a client pointed at the gateway (no SDK retries). */
export function ingressCases(gatewayUrl: () => string): IngressCase[] {
  const key = 'client-key';
  const openai = lazy(() => new OpenAI({ baseURL: `${gatewayUrl()}/v1`, apiKey: key, maxRetries: 0 }));
  const azure = (model: string) =>
    new AzureOpenAI({
      endpoint: gatewayUrl(),
      apiKey: key,
      apiVersion: '2024-10-21',
      deployment: model,
      maxRetries: 0,
    });
  return [
    openAIChatCase('openai-chat', openai),
    responsesCase(openai),
    messagesCase(lazy(() => new Anthropic({ baseURL: gatewayUrl(), apiKey: key, maxRetries: 0 }))),
    geminiCase(lazy(() => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: gatewayUrl() } }))),
    openAIChatCase('azure-chat', azure),
    completionsCase(openai),
  ];
}
