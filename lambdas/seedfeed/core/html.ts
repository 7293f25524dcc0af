import { type Document, DomHandler } from 'domhandler';
import { Parser } from 'htmlparser2';

/**
 * The work one seed may cost, counted, never timed: the same seed always gets the same answer.
 * Real articles sit far below both (a 1 MB news page has a few thousand elements, nested about 30 deep).
 */
export const HTML_LIMITS = {
  /** Elements nested deeper than this are flattened into their text as they are parsed. */
  depth: 256,
  /** Elements, comments and declarations in one piece of HTML; more is rejected. */
  nodes: 100_000,
} as const;

/** HTML that would cost more than HTML_LIMITS allow; the message names the limit. */
export class HtmlBudgetError extends Error {
  override readonly name = 'HtmlBudgetError';
}

export interface ParseOptions {
  /** Elements whose text is dropped with them when they are flattened (scripts, styles). */
  mute?: ReadonlySet<string>;
  /** Nesting kept (HTML_LIMITS.depth unless given); deeper elements are flattened into their text. */
  depth?: number;
}

/**
 * HTML → a domhandler tree, exactly as cheerio/htmlparser2 build it, in time linear in the input and
 * never deeper than HTML_LIMITS.depth, so no recursive walk of it (ours, domutils', dom-serializer's)
 * can overflow the stack. Throws HtmlBudgetError past HTML_LIMITS.nodes.
 */
export function parseHtml(html: string, options: ParseOptions = {}): Document {
  const handler = new BoundedHandler(options.mute ?? new Set(), options.depth ?? HTML_LIMITS.depth);
  const parser = new Parser(handler);
  // htmlparser2 keeps its open elements top-first with unshift/shift and finds a closing tag's
  // element with indexOf: quadratic in the nesting depth (200,000 nested <div> took 26 s). The same
  // operations in constant time on a top-last array keep its tree, and its rules, unchanged.
  const internals = parser as unknown as { stack: unknown; foreignContext: unknown };
  internals.stack = new TopFirstStack<string>();
  const foreign = new TopFirstStack<boolean>();
  foreign.unshift(false);
  internals.foreignContext = foreign;
  parser.end(html);
  return handler.root;
}

/** Builds the tree as DomHandler does, leaving out elements past the depth limit but not their text. */
class BoundedHandler extends DomHandler {
  private open = 0;
  private nodes = 0;
  /** Names of the flattened elements now open, innermost last, and how many of them are muted. */
  private readonly flattened: string[] = [];
  private muted = 0;

  constructor(
    private readonly mute: ReadonlySet<string>,
    private readonly depth: number,
  ) {
    super();
  }

  private count(): void {
    if (++this.nodes > HTML_LIMITS.nodes) {
      throw new HtmlBudgetError(
        `the HTML has more than ${HTML_LIMITS.nodes} elements and comments (the limit per seed)`,
      );
    }
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    this.count();
    this.open++;
    if (this.open <= this.depth) {
      super.onopentag(name, attribs);
      return;
    }
    this.flattened.push(name);
    if (this.mute.has(name)) this.muted++;
  }

  override onclosetag(): void {
    // htmlparser2 closes elements innermost first, so the last one opened is the one closing.
    this.open--;
    if (this.open < this.depth) {
      super.onclosetag();
      return;
    }
    const name = this.flattened.pop();
    if (name !== undefined && this.mute.has(name)) this.muted--;
  }

  override ontext(data: string): void {
    if (this.muted === 0) super.ontext(data);
  }

  override oncomment(data: string): void {
    this.count();
    super.oncomment(data);
  }

  override onprocessinginstruction(name: string, data: string): void {
    this.count();
    super.onprocessinginstruction(name, data);
  }
}

/**
 * The part of the Array interface htmlparser2's Parser uses on its stacks (`[0]` is the top), each
 * operation in constant time; indexOf pays for the elements the parser then pops.
 */
class TopFirstStack<T> {
  private readonly items: T[] = [];
  private readonly counts = new Map<T, number>();

  get length(): number {
    return this.items.length;
  }

  /** The parser empties its stacks with `length = 0` when it is reset. */
  set length(value: number) {
    while (this.items.length > value) this.shift();
  }

  /**
   * The top, kept as a plain field: a getter named `0` would turn every `stack[0]` of the parser into
   * a slow keyed lookup (it cost a third of the parse of 20,000 implicitly closed cells).
   */
  0: T | undefined = undefined;

  unshift(item: T): number {
    this.items.push(item);
    this.counts.set(item, (this.counts.get(item) ?? 0) + 1);
    this[0] = item;
    return this.items.length;
  }

  shift(): T | undefined {
    const item = this.items.pop();
    if (item !== undefined) this.counts.set(item, (this.counts.get(item) ?? 1) - 1);
    this[0] = this.items[this.items.length - 1];
    return item;
  }

  indexOf(item: T): number {
    if (!this.counts.get(item)) return -1;
    const top = this.items.length - 1;
    for (let i = top; i >= 0; i--) if (this.items[i] === item) return top - i;
    return -1;
  }
}
