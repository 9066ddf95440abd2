// pdfjs-dist ships no types for its worker module; only its presence is used (globalThis.pdfjsWorker).
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
