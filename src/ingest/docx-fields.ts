/**
 * A Word (.docx) field's code shown to mammoth as Word shows it: not at all. A complex field is
 * runs between w:fldChar begin and end; its code lies up to the separate (all of it, where there
 * is none), its last result after. Word prints the result. A field nested in another's code
 * (Word's table formula { IF { =SUM(LEFT) } > 0 … }, or { = { =4+0 } *10+1 }) keeps its own
 * result there, part of the outer code, and Word does not print it; mammoth prints every w:t
 * that is not instrText, so the cell showing 49 was read 4949, the one showing 41 read 441.
 * Runs' content in a code region is taken out before mammoth reads the file; the fields'
 * delimiters and instrText stay, so mammoth still sees whole fields (a hyperlink's, a
 * checkbox's).
 *
 * Fields are followed as mammoth follows them: in document order, across paragraphs and cells,
 * each note and comment on its own, deleted runs (w:del, w:moveFrom) and the mc:Choice of
 * alternate content not read. A code region with no separate or end after it is malformed, and
 * Word's reading of it is not known: nothing in it is taken out, and mammoth reads it as before.
 */
import { ELEMENT_NODE, isWord, type XmlDocument, type XmlNode } from './docx-xml.ts';

/** What a run keeps in a field's code: its properties, the field's delimiters and its code. */
const KEPT_IN_CODE = new Set(['rPr', 'fldChar', 'instrText']);

/** Elements whose content mammoth does not read: what is in them opens or closes no field for it. */
const NOT_READ = new Set(['del', 'moveFrom']);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/** Where mammoth starts a new reader, with no field open: each note and comment. */
const STORIES = new Set(['footnote', 'endnote', 'comment']);

/**
 * A field's delimiter, or run content mammoth prints (text, a symbol, a tab or break, a note
 * reference, a drawing that may hold a text box). Only a part where printed content lies in a
 * code region is worth parsing; content not named here is left as it was.
 */
const FIELD_TOKENS =
  /<(?:[^\s<>:/!?]+:)?(?:fldChar\b[^>]*?fldCharType\s*=\s*["'](begin|separate|end)["']|(?:t|sym|tab|br|cr|ptab|noBreakHyphen|softHyphen|footnoteReference|endnoteReference|drawing|pict|object)[\s>/])/g;

/** Whether a part may print something in a field's code: only then is it worth parsing. */
export function mayPrintFieldCode(xml: string): boolean {
  if (!xml.includes('fldChar')) return false;
  const open: boolean[] = [];
  let inCode = 0;
  for (const [, delimiter] of xml.matchAll(FIELD_TOKENS)) {
    if (delimiter === 'begin') {
      open.push(true);
      inCode++;
    } else if (delimiter === 'separate') {
      if (open.at(-1) === true) inCode--;
      if (open.length > 0) open[open.length - 1] = false;
    } else if (delimiter === 'end') {
      if (open.pop() === true) inCode--;
    } else if (inCode > 0) {
      return true;
    }
  }
  return false;
}

interface OpenField {
  /** Still in its code: no separate read yet. */
  code: boolean;
  /** Run content in its code region (its nested fields' results too), taken out once its code is seen to end. */
  held: XmlNode[];
}

/** The next node in document order after `node`'s subtree, within `root`. */
function after(node: XmlNode, root: XmlNode): XmlNode | null {
  for (let at: XmlNode | null = node; at && at !== root; at = at.parentNode) {
    if (at.nextSibling) return at.nextSibling;
  }
  return null;
}

const notRead = (node: XmlNode) =>
  (isWord(node) && NOT_READ.has(node.localName ?? '')) ||
  (node.namespaceURI === MARKUP_COMPATIBILITY && node.localName === 'Choice');

/** Takes out run content that lies in a field's code region; whether any was. */
export function hideFieldCode(document: XmlDocument): boolean {
  const root = document.documentElement;
  if (!root) return false;
  let open: OpenField[] = [];
  let removed = false;
  let node: XmlNode | null = root.childNodes[0] ?? null;
  while (node) {
    if (node.nodeType !== ELEMENT_NODE || notRead(node)) {
      node = after(node, root);
      continue;
    }
    if (isWord(node) && STORIES.has(node.localName ?? '')) open = [];
    if (isWord(node, 'fldChar')) {
      const type = node.getAttributeNS(node.namespaceURI, 'fldCharType');
      if (type === 'begin') open.push({ code: true, held: [] });
      const field = open.at(-1);
      // The outermost field still in its code holds what was found in it: once that code ends,
      // nothing found in it was printed, a nested field's result included.
      const closing = field && type !== 'begin' && field.code && open.find((f) => f.code) === field;
      if (closing) {
        for (const held of field.held) held.parentNode?.removeChild(held);
        removed ||= field.held.length > 0;
      }
      if (field && type === 'separate') field.code = false;
      if (field && type === 'end') open.pop();
      node = after(node, root);
      continue;
    }
    const inRun = node.parentNode !== null && isWord(node.parentNode, 'r');
    const holder =
      inRun && !(isWord(node) && KEPT_IN_CODE.has(node.localName ?? ''))
        ? open.find((f) => f.code)
        : undefined;
    if (holder) {
      holder.held.push(node);
      node = after(node, root);
      continue;
    }
    node = node.childNodes[0] ?? after(node, root);
  }
  return removed;
}
