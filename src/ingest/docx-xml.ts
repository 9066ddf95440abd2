/**
 * A Word (.docx) file's ZIP and XML, read with the libraries mammoth reads them with (JSZip,
 * @xmldom/xmldom), loaded from where mammoth finds them, so a part is read here as mammoth reads
 * it. What runs before mammoth (docx-hidden.ts, docx-elements.ts) changes parts through these.
 */
import { createRequire } from 'node:module';

/** The parts of the DOM that xmldom implements and that are used here. */
export interface XmlNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly namespaceURI: string | null;
  readonly localName: string | null;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<XmlNode>;
  readonly parentNode: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly ownerDocument: XmlDocument;
  removeChild(child: XmlNode): XmlNode;
  appendChild(child: XmlNode): XmlNode;
  insertBefore(child: XmlNode, before: XmlNode | null): XmlNode;
  replaceChild(child: XmlNode, old: XmlNode): XmlNode;
  hasAttributeNS(namespace: string | null, name: string): boolean;
  getAttributeNS(namespace: string | null, name: string): string;
  setAttributeNS(namespace: string | null, name: string, value: string): void;
  lookupNamespaceURI(prefix: string): string | null;
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlNode>;
}
export interface XmlDocument extends XmlNode {
  readonly documentElement: XmlNode | null;
  createElementNS(namespace: string | null, qualifiedName: string): XmlNode;
  createTextNode(text: string): XmlNode;
}
interface XmlDom {
  DOMParser: new (options: {
    errorHandler: (level: string, message: string) => void;
  }) => { parseFromString(xml: string, mimeType: string): XmlDocument };
  XMLSerializer: new () => { serializeToString(node: XmlNode): string };
}
interface ZipObject {
  readonly name: string;
  readonly dir: boolean;
  async(type: 'uint8array'): Promise<Uint8Array>;
}
export interface Zip {
  file(path: string): ZipObject | null;
  file(path: string, data: string): Zip;
  forEach(callback: (path: string, file: ZipObject) => void): void;
  generateAsync(options: { type: 'nodebuffer'; compression: 'DEFLATE' }): Promise<Buffer>;
}
interface JSZipStatic {
  loadAsync(data: Buffer): Promise<Zip>;
}

const fromMammoth = createRequire(createRequire(import.meta.url).resolve('mammoth'));
export const JSZip = fromMammoth('jszip') as JSZipStatic;
const xmldom = fromMammoth('@xmldom/xmldom') as XmlDom;

/** WordprocessingML, as Word writes it (transitional) and as ISO 29500 strict names it. */
export const WORD_NAMESPACES = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/relationships';
const RELATIONSHIP_TYPES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
export const ELEMENT_NODE = 1;

const decoder = new TextDecoder('utf-8');

export const isWord = (node: XmlNode, name?: string) =>
  node.nodeType === ELEMENT_NODE &&
  WORD_NAMESPACES.includes(node.namespaceURI ?? '') &&
  (name === undefined || node.localName === name);

export const children = (node: XmlNode, name: string) =>
  Array.from(node.childNodes).filter((child) => isWord(child, name));

/** The first child element of this name; it stops there (a paragraph may hold thousands of runs). */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const nodes = node?.childNodes;
  for (let i = 0; nodes && i < nodes.length; i++) {
    const candidate = nodes[i];
    if (candidate && isWord(candidate, name)) return candidate;
  }
  return undefined;
}

/** Every Word element of this name in the part, taken whole so that the part can change meanwhile. */
export const allWord = (document: XmlNode, name: string) =>
  WORD_NAMESPACES.flatMap((namespace) => Array.from(document.getElementsByTagNameNS(namespace, name)));

/** A w:val attribute, in the namespace of its element. */
export function value(node: XmlNode | undefined): string | undefined {
  if (!node?.namespaceURI || !node.hasAttributeNS(node.namespaceURI, 'val')) return undefined;
  return node.getAttributeNS(node.namespaceURI, 'val');
}

/** An on/off value (ST_OnOff): anything but 0, false or off is on. */
export const isOnValue = (text: string) => !/^(?:0|false|off)$/i.test(text.trim());

/** An on/off property is on when present, unless its w:val says off. */
export const isOn = (node: XmlNode) => isOnValue(value(node) ?? '');

/** A Word element of this name, beside `near` (same namespace and prefix). */
export function wordElement(near: XmlNode, name: string): XmlNode {
  const prefix = near.nodeName.includes(':') ? `${near.nodeName.split(':')[0]}:` : '';
  return near.ownerDocument.createElementNS(near.namespaceURI, prefix + name);
}

/** The part's XML as mammoth would have it, or null where mammoth's parser would refuse it. */
export function parse(xml: string): XmlDocument | null {
  let failed = false;
  const parser = new xmldom.DOMParser({
    errorHandler: () => {
      failed = true;
    },
  });
  try {
    const document = parser.parseFromString(xml, 'text/xml');
    return failed || !document.documentElement ? null : document;
  } catch {
    return null;
  }
}

export const serialize = (document: XmlDocument) => new xmldom.XMLSerializer().serializeToString(document);

/** A part's text, as mammoth decodes it; null if the entry cannot be inflated (left for mammoth to refuse if it needs it). */
export async function readPart(zip: Zip, path: string): Promise<string | null> {
  try {
    const entry = zip.file(path);
    return entry ? decoder.decode(await entry.async('uint8array')) : null;
  } catch {
    return null;
  }
}

/** The relationships of a part (Type and Target), as mammoth reads them. */
async function relationships(zip: Zip, path: string): Promise<{ type: string; target: string }[]> {
  const slash = path.lastIndexOf('/');
  const relsPath = [path.slice(0, Math.max(0, slash)), '_rels', `${path.slice(slash + 1)}.rels`]
    .filter((p) => p !== '')
    .join('/');
  const xml = await readPart(zip, relsPath);
  const document = xml === null ? null : parse(xml);
  if (!document?.documentElement) return [];
  return Array.from(document.documentElement.childNodes)
    .filter((n) => n.nodeType === ELEMENT_NODE && n.namespaceURI === RELATIONSHIPS_NAMESPACE)
    .filter((n) => n.localName === 'Relationship')
    .map((n) => ({ type: n.getAttributeNS(null, 'Type'), target: n.getAttributeNS(null, 'Target') }));
}

/** The part a relationship of this type points to, found as mammoth finds it. */
export async function partPath(zip: Zip, from: string, type: string, fallback: string): Promise<string> {
  const base = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  for (const { type: t, target } of await relationships(zip, from)) {
    if (t !== RELATIONSHIP_TYPES + type) continue;
    const path = (target.startsWith('/') || base === '' ? target : `${base}/${target}`).replace(/^\//, '');
    if (zip.file(path)) return path;
  }
  return fallback;
}

/** The paths of the file's XML parts. */
export function xmlParts(zip: Zip): string[] {
  const paths: string[] = [];
  zip.forEach((path, entry) => {
    if (!entry.dir && /\.xml$/i.test(path)) paths.push(path);
  });
  return paths;
}
