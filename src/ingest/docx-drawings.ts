/**
 * Text in Word (.docx) drawings, where mammoth 1.x reads it. mammoth reads a text box only in
 * its old form (VML: w:pict, v:textbox), as the paragraphs after the one it is anchored in. Word
 * writes a text box as a DrawingML shape (w:drawing, wps:txbx) inside mc:AlternateContent, with
 * the VML copy as the mc:Fallback that mammoth reads; another program, or Word for a shape it
 * has no VML for, writes no fallback, and of a w:drawing mammoth reads pictures only: a figure,
 * or a whole table, in such a text box would vanish without a trace. Such a text box is given
 * to mammoth in the form it reads, so it is read where a VML one is.
 */

import { allWord, ELEMENT_NODE, isWord, wordElement, type XmlDocument, type XmlNode } from './docx-xml.ts';
import { firstFew } from './first-few.ts';

const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

const isCompatibility = (node: XmlNode, name: string) =>
  node.nodeType === ELEMENT_NODE && node.namespaceURI === MARKUP_COMPATIBILITY && node.localName === name;

const compatibilityChild = (node: XmlNode, name: string) =>
  Array.from(node.childNodes).find((n) => isCompatibility(n, name));

/** Whether a node sits in an mc:Choice, which mammoth never reads. */
function inChoice(node: XmlNode): boolean {
  for (let at = node.parentNode; at; at = at.parentNode) if (isCompatibility(at, 'Choice')) return true;
  return false;
}

/** Whether a node holds text Word prints (a w:t with more than spaces). */
const printsText = (node: XmlNode) => allWord(node, 't').some((t) => (t.textContent ?? '').trim() !== '');

/** Microsoft's and the standard's namespaces: what Word reads. Another program's (WPS's "wpsCustomData") it does not. */
const KNOWN =
  /^http:\/\/(?:schemas\.microsoft\.com\/office\/|schemas\.openxmlformats\.org\/|purl\.oclc\.org\/ooxml\/)/;

/** Whether Word takes a choice: it knows every namespace the choice requires, else it reads the fallback. */
function wordReads(choice: XmlNode): boolean {
  const requires = choice.getAttributeNS(null, 'Requires').trim();
  return requires
    .split(/\s+/)
    .every((prefix) => prefix !== '' && KNOWN.test(choice.lookupNamespaceURI(prefix) ?? ''));
}

/**
 * Alternate content whose choice prints text replaced by its choice, which Word shows: mammoth
 * reads only the fallback, which may be missing, a picture of the shape, or a VML shape it does
 * not know (Word writes an ellipse's text box as v:oval). Word's fallback prints the same text
 * boxes as its choice, so where mammoth would have read them, they are read the same.
 */
function chooseAsWord(document: XmlDocument): boolean {
  let changed = false;
  for (const alternate of Array.from(
    document.getElementsByTagNameNS(MARKUP_COMPATIBILITY, 'AlternateContent'),
  )) {
    const parent = alternate.parentNode;
    if (!parent || inChoice(alternate)) continue;
    const choice = compatibilityChild(alternate, 'Choice');
    if (!choice || !wordReads(choice) || !printsText(choice)) continue;
    for (const node of Array.from(choice.childNodes)) parent.insertBefore(node, alternate);
    parent.removeChild(alternate);
    changed = true;
  }
  return changed;
}

/** The nearest w:drawing a node is in. */
function drawingOf(node: XmlNode): XmlNode | null {
  let at = node.parentNode;
  while (at && !isWord(at, 'drawing')) at = at.parentNode;
  return at;
}

/**
 * The text boxes of each DrawingML drawing (a shape, a group's shapes, a canvas's) moved into a
 * w:pict beside it, which mammoth reads as paragraphs after the one the drawing is anchored in,
 * as it reads Word's VML text boxes. Its pictures stay in the drawing.
 */
function textBoxesAsVml(document: XmlDocument): boolean {
  let changed = false;
  for (const drawing of allWord(document, 'drawing')) {
    const parent = drawing.parentNode;
    if (!parent || inChoice(drawing)) continue;
    const boxes = allWord(drawing, 'txbxContent').filter((box) => drawingOf(box) === drawing);
    if (boxes.length === 0) continue;
    const pict = wordElement(drawing, 'pict');
    for (const box of boxes) pict.appendChild(box);
    parent.insertBefore(pict, drawing.nextSibling);
    changed = true;
  }
  return changed;
}

const NAMED = /<(?:[^\s<>:/!?]+:)?(?:AlternateContent|txbxContent)[\s>/]/;

/** Whether a part may hold a text box mammoth would not read: only then is it worth parsing. */
export const mayHoldDrawnText = (xml: string) => NAMED.test(xml);

/** Gives mammoth the part's DrawingML text boxes in the form it reads; whether any was. */
export function readDrawnText(document: XmlDocument): boolean {
  const chosen = chooseAsWord(document);
  return textBoxesAsVml(document) || chosen;
}

/** A text box's or frame's whole text when it is a figure alone (3001, １２, 1,268, -5). */
const FIGURE_ALONE = /^[+\-−－]?[\d０-９][\d０-９,，.．]*$/;
export const figureAlone = (text: string): string | null => {
  const t = text.replace(/\s+/g, '');
  return FIGURE_ALONE.test(t) ? t : null;
};

/** A Word document with a text box or frame that holds a figure alone (floatingFigureMessage). */
export class FloatingFigureError extends Error {
  constructor(figures: readonly string[]) {
    super(floatingFigureMessage(figures));
    this.name = 'FloatingFigureError';
  }
}

/**
 * Why a Word document whose text boxes or frames hold a figure alone is refused: Word draws a
 * floating box where its position says, which only a layout can tell, so a white box holding
 * 3001 may cover the cell that holds 2999 and print 3001 there; the reader would take 2999, or a
 * blank. Said for .docx and .doc alike.
 */
export function floatingFigureMessage(found: readonly string[]): string {
  // A DrawingML box and its VML copy (mc:Fallback) are one box.
  const figures = [...new Set(found)];
  const shown = firstFew(figures.map((f) => `"${f}"`));
  return `The Word document cannot be read for certain: ${figures.length === 1 ? 'a text box or frame holds' : `${figures.length} text boxes or frames hold`} a figure alone (${shown}). Word draws such a box where its position says, over the page and its tables, so whether it covers a cell (printing its figure over the cell's) cannot be told without Word's layout. Put the figure in its cell as ordinary text, or save the document as PDF and import the PDF.`;
}

/**
 * The figures held alone by the part's text boxes and frames (w:framePr; not a drop cap) that
 * are anchored outside the tables: one in a cell is read as that cell's text (with the cell's
 * own, where a figure beside it is refused).
 */
export function floatingFigures(document: XmlDocument): string[] {
  const texts = (node: XmlNode) =>
    allWord(node, 't')
      .map((t) => t.textContent ?? '')
      .join('');
  const inCell = (node: XmlNode) => {
    for (let at = node.parentNode; at; at = at.parentNode) if (isWord(at, 'tc')) return true;
    return false;
  };
  const boxes = allWord(document, 'txbxContent').filter((box) => !inCell(box));
  const frames = allWord(document, 'framePr')
    .filter((frame) => !frame.getAttributeNS(frame.namespaceURI, 'dropCap'))
    .map((frame) => frame.parentNode?.parentNode)
    .filter((p): p is XmlNode => p != null && isWord(p, 'p') && !inCell(p));
  return [...boxes, ...frames]
    .map(texts)
    .map(figureAlone)
    .filter((f): f is string => f !== null);
}
