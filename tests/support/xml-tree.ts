import { SaxesParser } from 'saxes';

/** An element as a namespace-aware reader sees it: its namespace URI and local name, never its prefix. */
export interface XmlElement {
  uri: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses XML with saxes, the project's strict XML 1.0 + namespaces parser, and throws on the first
 * problem (an unbound prefix, a bare `&`, a control character…). Returns the root element.
 */
export function parseXmlStrict(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns')
        attributes[attribute.name] = attribute.value;
    }
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** The children of `element` with the given namespace and local name. */
export function childrenNamed(element: XmlElement, uri: string, local: string): XmlElement[] {
  return element.children.filter((child) => child.uri === uri && child.local === local);
}

/** The one child with that name; throws when there is none or more than one. */
export function onlyChild(element: XmlElement, uri: string, local: string): XmlElement {
  const found = childrenNamed(element, uri, local);
  if (found.length !== 1) throw new Error(`<${element.local}> has ${found.length} <${local}>, not one`);
  return found[0] as XmlElement;
}
