// word-extractor ships no types; this is the part of its API the importer uses.
declare module 'word-extractor' {
  interface ExtractedDocument {
    getBody(): string;
    /** The text of the document's text boxes, one after another (headers' too unless told not). */
    getTextboxes(options?: { includeHeadersAndFooters?: boolean; includeBody?: boolean }): string;
  }
  export default class WordExtractor {
    extract(source: Buffer | string): Promise<ExtractedDocument>;
  }
}
