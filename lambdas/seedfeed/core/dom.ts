import { type AnyNode, Element, type ParentNode, type Text } from 'domhandler';

// Walks of our own over domhandler trees, all without recursion and each visiting a node once, so
// their cost is linear in the tree whatever its shape (see html.ts for the depth bound).

/** domhandler's isTag and isText, as plain comparisons: run once a node, they are the hot path. */
export function isTag(node: AnyNode): node is Element {
  const type = node.type as string;
  return type === 'tag' || type === 'script' || type === 'style';
}

export function isText(node: AnyNode): node is Text {
  return (node.type as string) === 'text';
}

/** The text of a node and its descendants, as domutils' textContent gives it (comments have none). */
export function textOf(node: AnyNode, separator = ''): string {
  const parts: string[] = [];
  const pending: AnyNode[] = [node];
  for (let current = pending.pop(); current; current = pending.pop()) {
    if (isText(current)) parts.push(current.data);
    else if (isTag(current) || current.type === 'root') pushChildren(pending, current as ParentNode);
  }
  return parts.join(separator);
}

/** The text of a small node, or undefined once it passes `maxChars` or `maxNodes`: a bounded look. */
export function shortTextOf(node: AnyNode, maxChars: number, maxNodes: number): string | undefined {
  if (isText(node)) return node.data.length > maxChars ? undefined : node.data;
  let text = '';
  let seen = 1;
  const found = isTag(node)
    ? findInOrder(node, (child) => {
        if (++seen > maxNodes) return true;
        if (isText(child)) text += child.data;
        return text.length > maxChars;
      })
    : undefined;
  return found === undefined ? text : undefined;
}

/**
 * The first node below `root`, in document order and descending into elements only (those `descend`
 * accepts, when given), that `test` accepts. It keeps one position per open level rather than every
 * pending sibling: a look that stops early costs what it looked at, not the width of the elements it
 * passed through.
 */
export function findInOrder(
  root: ParentNode,
  test: (node: AnyNode) => boolean,
  descend?: (el: Element) => boolean,
): AnyNode | undefined {
  const parents: ParentNode[] = [root];
  const positions: number[] = [0];
  for (let top = 0; top >= 0; ) {
    const parent = parents[top] as ParentNode;
    const at = positions[top] as number;
    const child = parent.children[at];
    if (!child) {
      parents.pop();
      positions.pop();
      top--;
      continue;
    }
    positions[top] = at + 1;
    if (test(child)) return child;
    if (isTag(child) && child.children.length > 0 && (!descend || descend(child))) {
      parents.push(child);
      positions.push(0);
      top++;
    }
  }
  return undefined;
}

function pushChildren(pending: AnyNode[], parent: ParentNode): void {
  for (let i = parent.children.length - 1; i >= 0; i--) {
    const child = parent.children[i];
    if (child) pending.push(child);
  }
}

export interface Rewrite {
  /** Before its children: undefined to keep the node (and visit an element's children), else what replaces it. */
  enter?(node: AnyNode): readonly AnyNode[] | undefined;
  /** A parent's non-empty children once each was rewritten: the list it keeps (the same array if unchanged). */
  settle?(children: AnyNode[], parent: ParentNode): AnyNode[];
  /** After an element's children were settled: undefined to keep it, else what takes its place. */
  leave?(el: Element): readonly AnyNode[] | undefined;
}

interface Frame {
  parent: ParentNode;
  next: number;
  /** The rewritten children, made only once one of them changed: most lists stay as they are. */
  out: AnyNode[] | undefined;
}

/**
 * Rebuilds the tree below `root` bottom-up, each parent's child list once: removing or unwrapping a
 * node never splices a long list, which made cleaning quadratic (50,000 <br> took 12 s). It allocates
 * nothing for a node kept as it is (frames are reused by depth), so a seed of many small elements costs
 * the collector no more than their own parse did.
 */
export function rewrite(root: ParentNode, rules: Rewrite): void {
  const frames: Frame[] = [{ parent: root, next: 0, out: undefined }];
  let depth = 0;
  const put = (frame: Frame, at: number, original: AnyNode, nodes: readonly AnyNode[] | undefined): void => {
    if (nodes === undefined) {
      frame.out?.push(original);
      return;
    }
    if (!frame.out && (nodes.length !== 1 || nodes[0] !== original)) {
      frame.out = frame.parent.children.slice(0, at);
    }
    if (frame.out) appendAll(frame.out, nodes);
  };
  while (depth >= 0) {
    const frame = frames[depth] as Frame;
    const at = frame.next++;
    const child = frame.parent.children[at];
    if (child) {
      const replacement = rules.enter?.(child);
      if (replacement) put(frame, at, child, replacement);
      // An empty element needs no frame of its own (long runs of <br> are all such).
      else if (isTag(child) && child.children.length === 0) put(frame, at, child, rules.leave?.(child));
      else if (isTag(child)) {
        depth++;
        const below = frames[depth];
        if (below) {
          below.parent = child;
          below.next = 0;
          below.out = undefined;
        } else frames.push({ parent: child, next: 0, out: undefined });
      } else frame.out?.push(child);
      continue;
    }
    depth--;
    const children = frame.out ?? frame.parent.children;
    const settled = rules.settle ? rules.settle(children, frame.parent) : children;
    if (settled !== frame.parent.children) setChildren(frame.parent, settled);
    const above = frames[depth];
    if (above) put(above, above.next - 1, frame.parent, rules.leave?.(frame.parent as Element));
  }
}

// Spreading a long list into push() overflows the stack; a loop does not.
function appendAll(target: AnyNode[], nodes: readonly AnyNode[]): void {
  for (const node of nodes) target.push(node);
}

export function setChildren(parent: ParentNode, children: AnyNode[]): void {
  parent.children = children as ParentNode['children'];
  let prev: AnyNode | null = null;
  for (const child of children) {
    child.parent = parent;
    child.prev = prev;
    if (prev) prev.next = child;
    prev = child;
  }
  if (prev) prev.next = null;
}

/** One node out of its parent, `nodes` in its place: for single edits, not for loops. */
export function replaceWith(node: AnyNode, nodes: AnyNode[]): void {
  const parent = node.parent;
  if (!parent) return;
  const index = parent.children.indexOf(node as never);
  if (index < 0) return;
  const children = [...parent.children];
  children.splice(index, 1, ...nodes);
  setChildren(parent, children);
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** A new element with `children` linked in. */
export function element(name: string, attribs: Record<string, string>, children: AnyNode[]): Element {
  const el = new Element(name, attribs, []);
  setChildren(el, children);
  return el;
}

// Elements whose content is phrasing: a paragraph may not go into them.
const PHRASING = new Set(
  'p h1 h2 h3 h4 h5 h6 a span strong b em i u s small mark sub sup code q cite abbr time label font'.split(
    ' ',
  ),
);

/** Whether `node` sits where only phrasing content may go (its parent as parsed). */
export function inPhrasing(node: AnyNode): boolean {
  const parent = node.parent;
  return parent !== null && isTag(parent as AnyNode) && PHRASING.has((parent as Element).name.toLowerCase());
}
