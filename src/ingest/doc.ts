import WordExtractor from 'word-extractor';
import { docFormattingRefusal } from './doc-formatting.ts';
import { docStructure } from './doc-structure.ts';
import { figureAlone, floatingFigureMessage } from './docx-drawings.ts';

/** A .doc whose digits are formatted so that they are not printed as ordinary digits (doc-formatting.ts). */
export class DocFormattingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocFormattingError';
  }
}

/**
 * Legacy Word (.doc, Word 97–2003) to text, with word-extractor (pure JavaScript; it reads
 * the OLE compound file and its text pieces, and never opens linked files).
 *
 * Word ends every table cell with a cell mark, which becomes a tab, and a row with one
 * more; an empty cell and a row's end look the same in the text alone. So cell marks
 * become single spaces and the tables are read by their labels in template order
 * (running-text.ts), as a PDF's text layer is: a row short of a figure is a gap, never a
 * shifted row. word-extractor does not read character formatting: a file with a digit hidden,
 * white, raised or lowered, or struck through is refused (DocFormattingError) before it runs.
 */
export async function docToText(bytes: Uint8Array): Promise<string> {
  const structure = docStructure(bytes);
  if ('damage' in structure) throw new Error(structure.damage);
  const formatting = docFormattingRefusal(structure.streams);
  if (formatting) throw new DocFormattingError(formatting);
  const document = await new WordExtractor().extract(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  // word-extractor gives text boxes apart from the body; one holding a figure alone may be drawn
  // over a cell (docx-drawings.ts floatingFigureMessage).
  const boxed = document
    .getTextboxes({ includeHeadersAndFooters: false })
    .split(/[\r\n]+/)
    .map(figureAlone)
    .filter((f): f is string => f !== null);
  if (boxed.length > 0) throw new DocFormattingError(floatingFigureMessage(boxed));
  return document.getBody().replace(/\t+/g, ' ').replace(/\r\n?/g, '\n');
}
