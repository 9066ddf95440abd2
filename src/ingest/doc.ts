import WordExtractor from 'word-extractor';
import { docStructureDamage } from './doc-structure.ts';

/**
 * Legacy Word (.doc, Word 97–2003) to text, with word-extractor (pure JavaScript; it reads
 * the OLE compound file and its text pieces, and never opens linked files).
 *
 * Word ends every table cell with a cell mark, which becomes a tab, and a row with one
 * more; an empty cell and a row's end look the same in the text alone. So cell marks
 * become single spaces and the tables are read by their labels in template order
 * (running-text.ts), as a PDF's text layer is: a row short of a figure is a gap, never a
 * shifted row.
 */
export async function docToText(bytes: Uint8Array): Promise<string> {
  const damage = docStructureDamage(bytes);
  if (damage) throw new Error(damage);
  const document = await new WordExtractor().extract(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  return document.getBody().replace(/\t+/g, ' ').replace(/\r\n?/g, '\n');
}
