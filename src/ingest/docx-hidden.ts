/**
 * Hidden text out of a Word (.docx) file before mammoth reads it. mammoth ignores a run's
 * hidden formatting: Word's hidden text (w:vanish) would be read with the rest, a hidden "0" after 1268 making the cell 12680. Every run that is
 * hidden, by its own formatting or by its character or paragraph style, loses its content before
 * mammoth sees it; nothing else changes. A paragraph whose mark alone is hidden (w:pPr/w:rPr)
 * keeps its text, as Word shows it.
 *
 * The ZIP and the XML are read with the libraries mammoth reads them with (JSZip, @xmldom/xmldom),
 * loaded from where mammoth finds them, so a part is read here as mammoth reads it. It runs
 * after the input limits (document.ts): the entries it inflates are the ones those counted.
 */
import { createRequire } from 'node:module';

/** The parts of the DOM that xmldom implements and that are used here. */
interface XmlNode {
  readonly nodeType: number;
  readonly namespaceURI: string | null;
  readonly localName: string | null;
  readonly childNodes: ArrayLike<XmlNode>;
  readonly parentNode: XmlNode | null;
  removeChild(child: XmlNode): XmlNode;
  hasAttributeNS(namespace: string | null, name: string): boolean;
  getAttributeNS(namespace: string | null, name: string): string;
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlNode>;
}
interface XmlDocument extends XmlNode {
  readonly documentElement: XmlNode | null;
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
interface Zip {
  file(path: string): ZipObject | null;
  file(path: string, data: string): Zip;
  forEach(callback: (path: string, file: ZipObject) => void): void;
  generateAsync(options: { type: 'nodebuffer'; compression: 'DEFLATE' }): Promise<Buffer>;
}
interface JSZipStatic {
  loadAsync(data: Buffer): Promise<Zip>;
}

const fromMammoth = createRequire(createRequire(import.meta.url).resolve('mammoth'));
const JSZip = fromMammoth('jszip') as JSZipStatic;
const xmldom = fromMammoth('@xmldom/xmldom') as XmlDom;

/** WordprocessingML, as Word writes it (transitional) and as ISO 29500 strict names it. */
const WORD_NAMESPACES = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/relationships';
const RELATIONSHIP_TYPES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
const ELEMENT_NODE = 1;

/**
 * The run properties that hide a run's text. Not w:webHidden: that hides text in Word's web
 * layout only, and the page as printed, in print layout or as a PDF, shows it.
 */
const HIDING = ['vanish'] as const;
type Hiding = (typeof HIDING)[number];
type Toggles = Partial<Record<Hiding, boolean>>;

/** What a run keeps when hidden: its properties, and a field's delimiters and code, so fields stay whole. */
const KEPT_IN_HIDDEN_RUN = new Set(['rPr', 'fldChar', 'instrText']);

const decoder = new TextDecoder('utf-8');

const isWord = (node: XmlNode, name?: string) =>
  node.nodeType === ELEMENT_NODE &&
  WORD_NAMESPACES.includes(node.namespaceURI ?? '') &&
  (name === undefined || node.localName === name);

const children = (node: XmlNode, name: string) =>
  Array.from(node.childNodes).filter((child) => isWord(child, name));

const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node && children(node, name)[0];

/** A w:val attribute, in the namespace of its element. */
function value(node: XmlNode | undefined): string | undefined {
  if (!node?.namespaceURI || !node.hasAttributeNS(node.namespaceURI, 'val')) return undefined;
  return node.getAttributeNS(node.namespaceURI, 'val');
}

/** An on/off value (ST_OnOff): anything but 0, false or off is on. */
const isOnValue = (text: string) => !/^(?:0|false|off)$/i.test(text.trim());

/** An on/off property is on when present, unless its w:val says off. */
const isOn = (node: XmlNode) => isOnValue(value(node) ?? '');

/** The hiding toggles an rPr element sets itself (not those of a w:rPrChange it holds: the old formatting). */
function toggles(rPr: XmlNode | undefined): Toggles {
  const set: Toggles = {};
  if (!rPr) return set;
  for (const name of HIDING) {
    const element = child(rPr, name);
    if (element) set[name] = isOn(element);
  }
  return set;
}

interface Styles {
  byId: Map<string, { basedOn: string | undefined; toggles: Toggles }>;
  defaultParagraph: string | undefined;
  defaultCharacter: string | undefined;
  defaults: Toggles;
}

const NO_STYLES: Styles = {
  byId: new Map(),
  defaultParagraph: undefined,
  defaultCharacter: undefined,
  defaults: {},
};

function readStyles(document: XmlDocument): Styles {
  const root = document.documentElement;
  if (!root || !isWord(root, 'styles')) return NO_STYLES;
  const styles: Styles = { ...NO_STYLES, byId: new Map() };
  styles.defaults = toggles(child(child(child(root, 'docDefaults'), 'rPrDefault'), 'rPr'));
  for (const style of children(root, 'style')) {
    const ns = style.namespaceURI;
    const id = style.getAttributeNS(ns, 'styleId');
    const type = style.getAttributeNS(ns, 'type');
    if (id === '' || styles.byId.has(id)) continue;
    styles.byId.set(id, { basedOn: value(child(style, 'basedOn')), toggles: toggles(child(style, 'rPr')) });
    if (style.hasAttributeNS(ns, 'default') && isOnValue(style.getAttributeNS(ns, 'default'))) {
      if (type === 'paragraph') styles.defaultParagraph ??= id;
      if (type === 'character') styles.defaultCharacter ??= id;
    }
  }
  return styles;
}

/** A toggle as the nearest style of a basedOn chain that sets it says; undefined if none does. */
function fromStyle(styles: Styles, id: string | undefined, name: Hiding): boolean | undefined {
  const seen = new Set<string>();
  for (let at = id; at !== undefined && !seen.has(at); at = styles.byId.get(at)?.basedOn) {
    seen.add(at);
    const set = styles.byId.get(at)?.toggles[name];
    if (set !== undefined) return set;
  }
  return undefined;
}

/**
 * Whether a run is hidden. Its own formatting decides; failing that its paragraph's style and its
 * character style, which as toggles cancel each other when both set one (ECMA-376 §17.7.3);
 * failing those, the document's defaults.
 */
function isHidden(run: XmlNode, styles: Styles): boolean {
  const rPr = child(run, 'rPr');
  const own = toggles(rPr);
  let paragraph = run.parentNode;
  while (paragraph && !isWord(paragraph, 'p')) paragraph = paragraph.parentNode;
  const paragraphStyle =
    (paragraph && value(child(child(paragraph, 'pPr'), 'pStyle'))) ?? styles.defaultParagraph;
  const characterStyle = value(child(rPr, 'rStyle')) ?? styles.defaultCharacter;
  return HIDING.some((name) => {
    const set = own[name];
    if (set !== undefined) return set;
    const byParagraph = fromStyle(styles, paragraphStyle, name);
    const byCharacter = fromStyle(styles, characterStyle, name);
    if (byParagraph === undefined && byCharacter === undefined) return styles.defaults[name] ?? false;
    return (byParagraph ?? false) !== (byCharacter ?? false);
  });
}

/** The part's XML as mammoth would have it, or null where mammoth's parser would refuse it. */
function parse(xml: string): XmlDocument | null {
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

/** Takes the content out of the hidden runs; whether any was found. */
function removeHiddenRuns(document: XmlDocument, styles: Styles): boolean {
  let removed = false;
  for (const namespace of WORD_NAMESPACES) {
    // A run in a text box sits inside another run: the list is taken whole before anything goes.
    for (const run of Array.from(document.getElementsByTagNameNS(namespace, 'r'))) {
      if (!isHidden(run, styles)) continue;
      removed = true;
      const kept = Array.from(run.childNodes).filter((node) => {
        if (isWord(node) && KEPT_IN_HIDDEN_RUN.has(node.localName ?? '')) return true;
        run.removeChild(node);
        return false;
      });
      if (kept.every((node) => isWord(node, 'rPr'))) run.parentNode?.removeChild(run);
    }
  }
  return removed;
}

/** A part's text, as mammoth decodes it; null if the entry cannot be inflated (left for mammoth to refuse if it needs it). */
async function readPart(zip: Zip, path: string): Promise<string | null> {
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
async function partPath(zip: Zip, from: string, type: string, fallback: string): Promise<string> {
  const base = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  for (const { type: t, target } of await relationships(zip, from)) {
    if (t !== RELATIONSHIP_TYPES + type) continue;
    const path = (target.startsWith('/') || base === '' ? target : `${base}/${target}`).replace(/^\//, '');
    if (zip.file(path)) return path;
  }
  return fallback;
}

/**
 * The .docx with the content of its hidden runs taken out; the same bytes when it has none. A
 * ZIP or part that cannot be read is left as it is, for mammoth to refuse as it would have.
 */
export async function withoutHiddenText(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const main = await partPath(zip, '', 'officeDocument', 'word/document.xml');
  const stylesXml = await readPart(zip, await partPath(zip, main, 'styles', 'word/styles.xml'));
  const stylesDocument = stylesXml !== null && /vanish/.test(stylesXml) ? parse(stylesXml) : null;
  const styles = stylesDocument ? readStyles(stylesDocument) : NO_STYLES;
  const styled =
    Object.values(styles.defaults).some(Boolean) ||
    [...styles.byId.values()].some((s) => Object.values(s.toggles).some(Boolean));
  const paths: string[] = [];
  zip.forEach((path, entry) => {
    if (!entry.dir && /\.xml$/i.test(path)) paths.push(path);
  });
  let changed = false;
  for (const path of paths) {
    const xml = await readPart(zip, path);
    if (xml === null || !/<(?:[^\s<>:/!?]+:)?r[\s>/]/.test(xml)) continue;
    if (!styled && !/vanish/.test(xml)) continue;
    const document = parse(xml);
    if (!document || !removeHiddenRuns(document, styles)) continue;
    zip.file(path, new xmldom.XMLSerializer().serializeToString(document));
    changed = true;
  }
  // Entries left alone keep their compressed bytes: nothing else is inflated or compressed again.
  return changed ? zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) : bytes;
}
