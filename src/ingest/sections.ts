import { SECTIONS, type SectionInfo } from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { compact } from './text.ts';

export interface LocatedSection {
  info: SectionInfo;
  heading: string;
  /** Index into the line array of the heading line. */
  start: number;
  /** Index one past the last line of the section. */
  end: number;
}

const LEADING_SECTION_ORDINAL = /^[\s\u3000]*[一二三四五六]/;
const HEADING = /^([一二三四五六])[、.．]\s*(.+)$/;

/**
 * Finds the template's section headings (一、总体情况 … 六、其他需要报告的事项). A
 * heading is a free-standing line with the right ordinal and one of the section's
 * keywords; the words vary between agencies, the ordinals do not.
 */
export function locateSections(lines: readonly Line[]): LocatedSection[] {
  const found: { info: SectionInfo; heading: string; start: number }[] = [];
  let next = 0;
  lines.forEach((line, index) => {
    // Headings are short and start with the ordinal; skip paragraphs before normalising them.
    if (line.cells || line.text.length > 80 || !LEADING_SECTION_ORDINAL.test(line.text)) return;
    const text = compact(line.text);
    const match = HEADING.exec(text);
    if (!match || text.length > 40) return;
    const info = SECTIONS.find((s) => s.ordinal === match[1]);
    if (!info || SECTIONS.indexOf(info) < next) return;
    if (!info.keywords.some((k) => text.includes(k))) return;
    found.push({ info, heading: line.text.trim(), start: index });
    next = SECTIONS.indexOf(info) + 1;
  });
  return found.map((section, i) => ({ ...section, end: found[i + 1]?.start ?? lines.length }));
}
