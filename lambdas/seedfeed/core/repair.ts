import type { AnyNode, Element, ParentNode } from 'domhandler';
import { element, isTag, isText } from './dom.js';

// What browsers repair as they read broken HTML, and htmlparser2 (which builds the tree as written)
// does not: cells outside rows, and old block elements that the allowlist would otherwise unwrap.

const SECTIONS = new Set(['table', 'thead', 'tbody', 'tfoot']);
const CELLS = new Set(['td', 'th']);

/** Blocks the allowlist does not keep: kept as a <div>, so their text stays apart from its neighbours'. */
export const OLD_BLOCKS = new Set(
  'center section article main address details summary fieldset hgroup marquee dir listing'.split(' '),
);

/** Runs of cells directly in a table or a table section, each put in a row as browsers do. */
export function cellsInRows(children: AnyNode[], parent: ParentNode): AnyNode[] {
  if (!isTag(parent) || !SECTIONS.has(parent.name) || !children.some(isCell)) return children;
  const out: AnyNode[] = [];
  let row: AnyNode[] = [];
  for (const child of children) {
    if (isCell(child) || (row.length > 0 && isText(child) && !child.data.trim())) {
      row.push(child);
      continue;
    }
    if (row.length > 0) out.push(element('tr', {}, row));
    row = [];
    out.push(child);
  }
  if (row.length > 0) out.push(element('tr', {}, row));
  return out;
}

const isCell = (node: AnyNode): boolean => isTag(node) && CELLS.has(node.name);

/** A cell outside any table has no row to be in: its content stays, the cell goes. */
export function isStrayCell(el: Element): boolean {
  const parent = el.parent;
  if (!parent || !isTag(parent)) return true;
  return parent.name !== 'tr' && !SECTIONS.has(parent.name);
}
