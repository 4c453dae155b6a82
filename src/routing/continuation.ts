// Mid-stream failover: how the next deployment continues an answer the client has already partly
// received, and how its stream is fitted onto what was sent.
//
// Modes, chosen per deployment:
// - restart: no answer text had reached the client (at most the response head or some reasoning), so
//   the request is simply sent again and its answer streamed as the rest of the response.
// - native: the provider continues an assistant prefix (Anthropic Messages, and Claude on Bedrock and
//   Vertex, without extended thinking): the conversation plus the text already streamed as a final
//   assistant turn; the reply is the continuation itself.
// - instructed: the honest fallback for providers that cannot continue a prefix (OpenAI-style chat APIs
//   answer a trailing assistant turn with a new turn): the text already streamed goes back as an
//   assistant turn followed by a user turn asking to continue exactly where it stopped. The model may
//   not comply perfectly; the route in the trace marks the failover `instructed` so it is never hidden.
// In both prefix modes, a reply that starts the answer over (repeats the text already sent) has that
// repetition cut, and the whitespace a native prefix had to drop is not sent twice.
//
// Refused (the stream ends with the protocol's error instead): a tool call had already reached the
// client (its arguments cannot be taken back, so it cannot be redone whole), or the answer is JSON
// output (a partial JSON document cannot be reliably continued).
//
// Tool calls that were interrupted before reaching the client are redone whole: while a failover is
// still possible, tool-call events are held back until the response ends (failover-stream.ts), so a
// dying stream loses them unseen and the next deployment produces them again in full.
import type { CanonicalRequest, Message, Usage } from '../core/canonical.ts';
import { addUsage } from '../core/canonical.ts';
import type { StreamEvent } from '../core/stream-events.ts';
import type { Candidate } from './candidate.ts';
import type { StreamLedger } from './stream-ledger.ts';

export type ContinuationMode = 'native' | 'instructed' | 'restart';

export const CONTINUE_INSTRUCTION =
  'Your previous reply was cut off. It ends exactly where the text above ends. Continue it from that exact point: do not repeat any of it, do not comment on the interruption, do not start over.';

/** Shorter prefixes are too likely to recur by chance to detect an answer that started over. */
const MIN_RESTART_CHECK = 12;

export function continuationMode(
  ledger: StreamLedger,
  candidate: Candidate,
  request: CanonicalRequest,
): { mode: ContinuationMode } | { refused: string } {
  if (ledger.sawToolCall())
    return { refused: 'a tool call had already reached the client and cannot be taken back' };
  if (ledger.text() === '') return { mode: 'restart' };
  if (request.responseFormat && request.responseFormat.type !== 'text')
    return { refused: 'a partial JSON answer cannot be continued reliably' };
  if ((request.n ?? 1) > 1) return { refused: 'several choices cannot be continued' };
  return { mode: continuesPrefix(candidate, request) ? 'native' : 'instructed' };
}

function continuesPrefix(candidate: Candidate, request: CanonicalRequest): boolean {
  const reasoning = request.reasoning;
  if (reasoning && ((reasoning.budgetTokens ?? 0) > 0 || (reasoning.effort && reasoning.effort !== 'none')))
    return false;
  const { provider, deployment } = candidate.target;
  if (provider.type === 'anthropic') return true;
  if (provider.type === 'bedrock') return /(^|\.)anthropic\./.test(deployment.model);
  if (provider.type === 'vertex') return deployment.model.startsWith('claude');
  return false;
}

/** The request that asks the next deployment for the rest of the answer. */
export function continuationRequest(
  original: CanonicalRequest,
  prefix: string,
  mode: ContinuationMode,
): CanonicalRequest {
  if (mode === 'restart') return original;
  const messages: Message[] = [...original.messages];
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    messages[messages.length - 1] = { ...last, content: [...last.content, { type: 'text', text: prefix }] };
  } else {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: prefix }] });
  }
  if (mode === 'instructed')
    messages.push({ role: 'user', content: [{ type: 'text', text: CONTINUE_INSTRUCTION }] });
  const request: CanonicalRequest = { ...original, messages };
  if (original.maxOutputTokens !== undefined) {
    request.maxOutputTokens = Math.max(16, original.maxOutputTokens - Math.ceil(prefix.length / 4));
  }
  return request;
}

/**
 * Fits the next deployment's events onto the stream the client has: no second response head, its first
 * text continues the open text block, other blocks take the next free indexes, reasoning is dropped
 * when it would interrupt an open text block, and usage includes what the dead attempts used.
 */
export async function* continueStream(
  events: AsyncIterable<StreamEvent>,
  ledger: StreamLedger,
  mode: ContinuationMode,
): AsyncGenerator<StreamEvent> {
  const fit = new StreamFit(ledger, mode);
  yield* fit.opening();
  for await (const event of events) yield* fit.handle(event);
  yield* fit.release();
}

class StreamFit {
  private readonly ledger: StreamLedger;
  private readonly indexes = new Map<number, number>();
  private readonly dropped = new Set<number>();
  private textTarget: number | undefined;
  private readonly dropReasoning: boolean;
  private usage: Usage | undefined;
  /** whitespace the native prefix lost (Anthropic rejects a prefill ending in whitespace) */
  private stripWhitespace: number;
  /** the answer text already sent, while checking whether the new reply starts over */
  private restartCheck: string | undefined;
  private held = '';
  private heldIndex = 0;

  constructor(ledger: StreamLedger, mode: ContinuationMode) {
    this.ledger = ledger;
    this.textTarget = mode === 'restart' ? undefined : ledger.openTextIndex();
    this.dropReasoning = this.textTarget !== undefined;
    const prefix = mode === 'restart' ? '' : ledger.text();
    this.stripWhitespace = mode === 'native' ? prefix.length - prefix.trimEnd().length : 0;
    this.restartCheck = prefix.trim().length >= MIN_RESTART_CHECK ? prefix.trimStart() : undefined;
  }

  /** Reasoning blocks left open by the dead attempt are closed before anything new starts. */
  *opening(): Generator<StreamEvent> {
    for (const index of this.ledger.openReasoningIndexes()) {
      this.ledger.closeBlock(index);
      yield { type: 'block-end', index };
    }
  }

  *handle(event: StreamEvent): Generator<StreamEvent> {
    switch (event.type) {
      case 'response-start':
        if (!this.ledger.started) yield event;
        return;
      case 'text-delta':
        yield* this.text(this.map(event.index, true), event.delta);
        return;
      case 'reasoning-delta':
      case 'reasoning-signature':
        if (this.dropReasoning && !this.indexes.has(event.index)) this.dropped.add(event.index);
        if (this.dropped.has(event.index)) return;
        yield* this.release();
        yield { ...event, index: this.map(event.index, false) };
        return;
      case 'tool-call-start':
      case 'tool-call-delta':
        yield* this.release();
        yield { ...event, index: this.map(event.index, false) };
        return;
      case 'block-end':
        if (this.dropped.has(event.index)) return;
        yield* this.release();
        yield { type: 'block-end', index: this.map(event.index, false) };
        return;
      case 'usage':
        this.usage = event.usage;
        yield { type: 'usage', usage: this.total(event.usage) ?? event.usage };
        return;
      case 'response-end':
        yield* this.release();
        yield { ...event, usage: this.total(event.usage ?? this.usage) };
        return;
      case 'error':
        yield event;
        return;
    }
  }

  /** Text held while checking for a restart goes out (the reply diverged, or ended). */
  *release(): Generator<StreamEvent> {
    this.restartCheck = undefined;
    if (this.held === '') return;
    const delta = this.held;
    this.held = '';
    yield { type: 'text-delta', index: this.heldIndex, delta };
  }

  private *text(index: number, delta: string): Generator<StreamEvent> {
    let text = delta;
    while (this.stripWhitespace > 0 && text !== '' && /\s/.test(text[0])) {
      text = text.slice(1);
      this.stripWhitespace--;
    }
    if (text !== '') this.stripWhitespace = 0;
    if (this.restartCheck === undefined) {
      if (text !== '') yield { type: 'text-delta', index, delta: text };
      return;
    }
    this.held += text;
    this.heldIndex = index;
    const candidate = this.held.trimStart();
    if (this.restartCheck.startsWith(candidate)) {
      if (candidate.length < this.restartCheck.length) return;
      this.held = '';
    } else if (candidate.startsWith(this.restartCheck)) {
      this.held = candidate.slice(this.restartCheck.length);
    }
    yield* this.release();
  }

  private map(index: number, text: boolean): number {
    const known = this.indexes.get(index);
    if (known !== undefined) return known;
    let mapped: number;
    if (text && this.textTarget !== undefined) {
      mapped = this.textTarget;
      this.textTarget = undefined;
    } else mapped = this.ledger.allocateIndex();
    this.indexes.set(index, mapped);
    return mapped;
  }

  private total(usage: Usage | undefined): Usage | undefined {
    const prior = this.ledger.priorUsage;
    if (!prior) return usage;
    return usage ? addUsage(prior, usage) : prior;
  }
}
