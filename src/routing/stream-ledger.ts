// What the client has been sent of a streamed answer, in canonical terms: the response head, each
// content block (text kept, so it can be sent again as an assistant prefix), which blocks are still
// open, and whether any tool call got out. A mid-stream failover continues from here.
import type { Part, Usage } from '../core/canonical.ts';
import type { StreamEvent } from '../core/stream-events.ts';

type BlockKind = 'text' | 'reasoning' | 'tool';

interface Block {
  index: number;
  kind: BlockKind;
  open: boolean;
  /** text or reasoning deltas, joined only when a failover needs them */
  pieces: string[];
  toolName?: string;
}

export class StreamLedger {
  /** a response-start reached the client */
  started = false;
  /** next free canonical block index */
  nextIndex = 0;
  /** usage of the attempts that died, added to what the client is finally told */
  priorUsage?: Usage;
  private readonly blocks: Block[] = [];

  observe(event: StreamEvent): void {
    switch (event.type) {
      case 'response-start':
        this.started = true;
        return;
      case 'text-delta':
        this.block(event.index, 'text').pieces.push(event.delta);
        return;
      case 'reasoning-delta':
        this.block(event.index, 'reasoning').pieces.push(event.delta);
        return;
      case 'reasoning-signature':
        this.block(event.index, 'reasoning');
        return;
      case 'tool-call-start':
        this.block(event.index, 'tool').toolName = event.name;
        return;
      case 'tool-call-delta':
        this.block(event.index, 'tool');
        return;
      case 'block-end': {
        const block = this.find(event.index);
        if (block) block.open = false;
        return;
      }
      default:
        return;
    }
  }

  /** All answer text the client has, in order. */
  text(): string {
    let out = '';
    for (const block of this.blocks) if (block.kind === 'text') out += block.pieces.join('');
    return out;
  }

  /** The open text block a continuation can keep writing into. */
  openTextIndex(): number | undefined {
    const last = this.blocks.at(-1);
    return last?.kind === 'text' && last.open ? last.index : undefined;
  }

  openReasoningIndexes(): number[] {
    return this.blocks
      .filter((block) => block.kind === 'reasoning' && block.open)
      .map((block) => block.index);
  }

  closeBlock(index: number): void {
    const block = this.find(index);
    if (block) block.open = false;
  }

  /** A tool call (or part of one) reached the client: it can be neither taken back nor redone. */
  sawToolCall(): boolean {
    return this.blocks.some((block) => block.kind === 'tool');
  }

  /** The answer so far as content parts (for estimating the usage of an attempt that died). */
  parts(): Part[] {
    return this.blocks
      .filter((block) => block.kind !== 'tool')
      .map((block) =>
        block.kind === 'text'
          ? { type: 'text', text: block.pieces.join('') }
          : { type: 'reasoning', text: block.pieces.join('') },
      );
  }

  allocateIndex(): number {
    return this.nextIndex++;
  }

  private find(index: number): Block | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--)
      if (this.blocks[i].index === index) return this.blocks[i];
    return undefined;
  }

  private block(index: number, kind: BlockKind): Block {
    const last = this.blocks.at(-1);
    if (last?.index === index) return last;
    const found = this.find(index);
    if (found) return found;
    const block: Block = { index, kind, open: true, pieces: [] };
    this.blocks.push(block);
    if (index >= this.nextIndex) this.nextIndex = index + 1;
    return block;
  }
}
