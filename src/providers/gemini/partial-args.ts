// Vertex `streamFunctionCallArguments`: a function call's arguments arrive as values addressed by JSON
// path (`functionCall.partialArgs[{jsonPath, stringValue|numberValue|boolValue|nullValue, willContinue}]`),
// a string possibly split over several entries. This writer turns them into JSON text, piece by piece,
// so the canonical stream can carry ordinary argument deltas. Concatenating every delta returned by
// `write` and then `finish` gives the complete JSON object.
import type { GeminiPartialArg } from './wire-types.ts';

type Segment = string | number;

interface OpenContainer {
  key: Segment;
  isArray: boolean;
  children: number;
}

export class PartialArgsWriter {
  /** open containers; [0] is the root object once anything was written */
  private readonly stack: OpenContainer[] = [];
  /** JSON path of a string value whose closing quote is not written yet */
  private openString: string | undefined;

  write(args: GeminiPartialArg[]): string {
    let delta = '';
    for (const arg of args) delta += this.writeOne(arg);
    return delta;
  }

  /** Closes whatever is open; `{}` when no argument arrived at all. */
  finish(): string {
    let delta = this.closeString();
    if (this.stack.length === 0) return `${delta}{}`;
    while (this.stack.length > 0) delta += closer(this.stack.pop()!);
    return delta;
  }

  private writeOne(arg: GeminiPartialArg): string {
    const path = arg.jsonPath ?? '';
    if (arg.stringValue !== undefined && this.openString === path) {
      const piece = escapeString(arg.stringValue);
      if (arg.willContinue) return piece;
      this.openString = undefined;
      return `${piece}"`;
    }
    const isEmptyArray = path.endsWith('[]');
    const segments = parseJsonPath(isEmptyArray ? path.slice(0, -2) : path);
    if (!segments || segments.length === 0) return '';
    const value = valueJson(arg);
    if (value === undefined && this.isOpen(segments)) return '';
    let delta = this.closeString() + this.openRoot();
    delta += this.navigateTo(segments.slice(0, -1), segments[segments.length - 1]);
    delta += this.leafPrefix(segments[segments.length - 1]);
    if (value === undefined) {
      // a value-less entry opens a container that later paths fill
      const isArray = isEmptyArray;
      this.stack.push({ key: segments[segments.length - 1], isArray, children: 0 });
      return delta + (isArray ? '[' : '{');
    }
    if (arg.stringValue !== undefined && arg.willContinue) {
      this.openString = path;
      return delta + value.slice(0, -1);
    }
    return delta + value;
  }

  private isOpen(segments: Segment[]): boolean {
    if (this.stack.length !== segments.length + 1) return false;
    return segments.every((segment, i) => this.stack[i + 1].key === segment);
  }

  private closeString(): string {
    if (this.openString === undefined) return '';
    this.openString = undefined;
    return '"';
  }

  private openRoot(): string {
    if (this.stack.length > 0) return '';
    this.stack.push({ key: '$', isArray: false, children: 0 });
    return '{';
  }

  /** Closes containers off the target's path, then opens the target's missing containers. */
  private navigateTo(containers: Segment[], leaf: Segment): string {
    let common = 0;
    while (
      common < containers.length &&
      common + 1 < this.stack.length &&
      this.stack[common + 1].key === containers[common]
    ) {
      common++;
    }
    let delta = '';
    while (this.stack.length > common + 1) delta += closer(this.stack.pop()!);
    for (let i = common; i < containers.length; i++) {
      delta += this.leafPrefix(containers[i]);
      const next = i + 1 < containers.length ? containers[i + 1] : leaf;
      const isArray = typeof next === 'number';
      this.stack.push({ key: containers[i], isArray, children: 0 });
      delta += isArray ? '[' : '{';
    }
    return delta;
  }

  /** The comma and key before a new member of the innermost open container. */
  private leafPrefix(segment: Segment): string {
    const parent = this.stack[this.stack.length - 1];
    const comma = parent.children > 0 ? ',' : '';
    parent.children++;
    return parent.isArray ? comma : `${comma}${JSON.stringify(String(segment))}:`;
  }
}

function closer(container: OpenContainer): string {
  return container.isArray ? ']' : '}';
}

function valueJson(arg: GeminiPartialArg): string | undefined {
  if (arg.stringValue !== undefined) return JSON.stringify(arg.stringValue);
  if (arg.numberValue !== undefined) return JSON.stringify(arg.numberValue);
  if (arg.boolValue !== undefined) return JSON.stringify(arg.boolValue);
  if (arg.nullValue !== undefined) return 'null';
  return undefined;
}

function escapeString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** `$.a.b[0]['c d']` → ['a', 'b', 0, 'c d']; undefined when not a path this writer understands. */
export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4]).replace(/\\(.)/g, '$1'));
  }
  return segments;
}
