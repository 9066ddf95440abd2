/**
 * pdf.js, loaded once, in a way that costs the rest of the process nothing.
 *
 * pdfjs-dist's legacy build (the one that runs on Node 20) bundles core-js, which replaces
 * some of Node's own built-ins when the module loads, for every caller in the process: on
 * Node 20, `Array.prototype.push` (7 to 8 times slower in a tight loop; every text report
 * parsed after the first PDF took a third longer), `JSON.parse` and
 * `Function.prototype.toString`. The built-ins it replaces are put back once both of its
 * modules have loaded; what it adds that Node lacks (`Promise.withResolvers`, the new `Set`
 * methods) stays, as pdf.js needs them.
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocumentInitParameters } from 'pdfjs-dist/types/src/display/api.js';

/** Built-ins whose own methods core-js may replace; the global object is left alone. */
const BUILT_INS: object[] = [
  Object,
  Object.prototype,
  Function.prototype,
  Array,
  Array.prototype,
  String.prototype,
  Number.prototype,
  JSON,
  Math,
  Promise,
  Promise.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  ArrayBuffer.prototype,
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Uint8Array.prototype,
  RegExp.prototype,
];

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loading: Promise<Pdfjs> | undefined;

/** pdf.js's API, its worker loaded in this thread, with Node's built-ins as they were. */
export function loadPdfjs(): Promise<Pdfjs> {
  loading ??= load();
  return loading;
}

async function load(): Promise<Pdfjs> {
  const before = BUILT_INS.map((target) => Object.getOwnPropertyDescriptors(target));
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js would import its worker module itself on the first document (Node has no Worker it
  // can use, so the "worker" runs in this thread); loaded here, its core-js is undone too.
  const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  for (const [i, target] of BUILT_INS.entries()) {
    for (const [key, original] of Object.entries(before[i] as PropertyDescriptorMap)) {
      const now = Object.getOwnPropertyDescriptor(target, key);
      if (now && now.value !== original.value && typeof original.value === 'function') {
        Object.defineProperty(target, key, original);
      }
    }
  }
  return pdfjs;
}

const pdfjsRoot = () => dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/**
 * An `ownerDocument` for pdf.js that takes each embedded font as a CSS rule and does nothing
 * with it. Without a document (Node), pdf.js is told `disableFontFace`, and then builds the
 * outline of every glyph a page draws and posts it to this thread for a canvas that never
 * comes: about a quarter of the time of reading a Chinese PDF's operator list, which the parser
 * needs only for its rules. Text is read from the fonts' encodings, not from their outlines.
 */
const FONTLESS_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule() {} }, remove() {} }),
  documentElement: { getElementsByTagName: () => [{ append() {} }] },
} as unknown as Document;

/** How the parser opens a PDF (and the tests that look into one as it does). */
export function documentParams(bytes: Uint8Array): DocumentInitParameters {
  const root = pdfjsRoot();
  return {
    data: new Uint8Array(bytes),
    cMapUrl: `${join(root, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
    isEvalSupported: false,
    ownerDocument: FONTLESS_DOCUMENT,
    disableFontFace: false,
    useSystemFonts: false,
    verbosity: 0,
    // Every image is left out of the operator list (pdf.js drops those above this many
    // pixels): the parser reads text and rules, never pictures, and image codecs (JPEG, JPEG
    // 2000, JBIG2) are the one thing the stream count above cannot bound. A 2 kB PDF drawing a
    // JPEG that states 40,000 × 40,000 pixels took 28 s and 4.9 GB to decode.
    maxImageSize: 0,
  };
}
