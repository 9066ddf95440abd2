/**
 * Whether a Word (.docx) run's text can be seen: its colour against what is behind it. Word
 * prints white text on a white cell, or text coloured as its cell's shading, and shows nothing a
 * reader can see; read with the rest, a white 7 between 4 and 9 made 49 into 479. Such text is
 * taken out as hidden text is (docx-hidden.ts); white text on a blue header cell is read.
 *
 * What is behind a run is the first of: its highlight, its own shading, its paragraph's, its
 * cell's, its row's and its table's (each set directly or by a style), a text box's fill, the
 * page colour. A page colour is shown on screen and not printed (Word's default), so text is
 * unseen on it only where it is also unseen on white paper. Where it cannot be told (a theme
 * colour the file does not define, a fill not read, text seen on one colour of a pattern or a
 * table style's part and not another), the run is marked so that a figure holding its digits is
 * refused (unseen-text.ts).
 */
import {
  type Colour,
  type Fill,
  hex,
  highlight,
  isUnknown,
  named,
  readTheme,
  shading,
  type Theme,
  textColour,
  themeColour,
  type Unknown,
  unseenOn,
  WHITE,
} from './docx-colour.ts';
import { fromStyle, noStyles, paragraphOf, readStyles, runStyles, type WordStyles } from './docx-styles.ts';
import {
  allWord,
  child,
  children,
  ELEMENT_NODE,
  isWord,
  parse,
  partPath,
  readPart,
  value,
  type XmlDocument,
  type XmlNode,
  type Zip,
} from './docx-xml.ts';

/** What run properties, a style or a table style's part set of what decides whether text is seen. */
interface Paint {
  color?: Colour;
  highlight?: Fill;
  /** The run's own shading (w:rPr/w:shd). */
  shade?: Fill;
  paragraphShade?: Fill;
  cellShade?: Fill;
  tableShade?: Fill;
  /** A table style's conditional parts (w:tblStylePr: header row, banded rows …), by type. */
  parts?: Map<string, Paint>;
}
type Key = Exclude<keyof Paint, 'parts'>;
const KEYS: Key[] = ['color', 'highlight', 'shade', 'paragraphShade', 'cellShade', 'tableShade'];

/** Whether a run's text is seen, not seen, or why that cannot be told. */
export type Seen = 'shown' | 'unseen' | Unknown;

export interface Colouring {
  styles: WordStyles<Paint>;
  theme: Theme;
  /** The page colour (w:background), null where there is none. */
  page: Fill;
  /** Whether a style or the defaults set a text colour other than automatic. */
  coloured: boolean;
}

function paintOf(rPr: XmlNode | undefined, theme: Theme): Paint {
  const paint: Paint = {};
  const color = child(rPr, 'color');
  if (color) paint.color = textColour(color, theme);
  const marked = child(rPr, 'highlight');
  if (marked) paint.highlight = highlight(marked);
  const shd = child(rPr, 'shd');
  if (shd) paint.shade = shading(shd, theme);
  return paint;
}

/** What a style, or a table style's part, sets in its run, paragraph, cell and table properties. */
function layersOf(node: XmlNode, theme: Theme): Paint {
  const paint = paintOf(child(node, 'rPr'), theme);
  const shaded = (properties: string) => {
    const shd = child(child(node, properties), 'shd');
    return shd && shading(shd, theme);
  };
  const [paragraph, cell, table] = [shaded('pPr'), shaded('tcPr'), shaded('tblPr')];
  if (paragraph !== undefined) paint.paragraphShade = paragraph;
  if (cell !== undefined) paint.cellShade = cell;
  if (table !== undefined) paint.tableShade = table;
  return paint;
}

function styleRead(theme: Theme) {
  return (rPr: XmlNode | undefined, style?: XmlNode): Paint => {
    if (!style) return paintOf(rPr, theme);
    const paint = layersOf(style, theme);
    const parts = children(style, 'tblStylePr');
    if (parts.length > 0) {
      paint.parts = new Map(parts.map((p) => [p.getAttributeNS(p.namespaceURI, 'type'), layersOf(p, theme)]));
    }
    return paint;
  };
}

const setsColour = (paint: Paint): boolean =>
  (paint.color !== undefined && paint.color !== 'auto') ||
  [...(paint.parts?.values() ?? [])].some(setsColour);

/** The page colour the main document part sets (w:background), found without parsing the part. */
function pageColour(xml: string | null, theme: Theme): Fill {
  const element = xml && /<(?:[^\s<>:/!?]+:)?background\s([^>]*)>/.exec(xml)?.[1];
  if (!element) return null;
  const attribute = (name: string) =>
    new RegExp(`(?:^|\\s)(?:[^\\s=:]+:)?${name}="([^"]*)"`).exec(element)?.[1] ?? undefined;
  const themed = attribute('themeColor');
  const colour = themed
    ? themeColour(theme, themed, attribute('themeTint'), attribute('themeShade'))
    : (attribute('color') ?? 'auto').toLowerCase() === 'auto'
      ? null
      : (hex(attribute('color')) ?? { unknown: `the page colour "${attribute('color')}"` });
  return colour === null ? null : isUnknown(colour) ? colour : [colour];
}

/** The file's styles, theme and page colour, as far as colour goes. */
export async function colouring(zip: Zip, main: string): Promise<Colouring> {
  const theme = await readTheme(zip, main);
  const xml = await readPart(zip, await partPath(zip, main, 'styles', 'word/styles.xml'));
  const document = xml !== null && /color|shd|highlight/.test(xml) ? parse(xml) : null;
  const styles = document ? readStyles(document, styleRead(theme), {}) : noStyles<Paint>({});
  const coloured = setsColour(styles.defaults) || [...styles.byId.values()].some((s) => setsColour(s.sets));
  return { styles, theme, page: pageColour(await readPart(zip, main), theme), coloured };
}

/** A text colour other than automatic in the part: without one, and without a style setting one, all text is seen. */
const COLOURED = /<(?:[^\s<>:/!?]+:)?color\s[^>]*?(?:themeColor|val="(?!auto")[^"]*")/i;
export const mayColourRuns = (xml: string, colours: Colouring) => colours.coloured || COLOURED.test(xml);

/** The nearest ancestor of this name. */
function ancestor(node: XmlNode, name: string): XmlNode | null {
  let at = node.parentNode;
  while (at && !isWord(at, name)) at = at.parentNode;
  return at;
}

/** A table style's parts: the whole table, and each conditional part over it (nearest style of the chain first). */
function tableParts(styles: WordStyles<Paint>, id: string | undefined): Paint[] {
  const chain: Paint[] = [];
  const seen = new Set<string>();
  for (let at = id; at !== undefined && !seen.has(at); at = styles.byId.get(at)?.basedOn) {
    seen.add(at);
    const style = styles.byId.get(at);
    if (style) chain.push(style.sets);
  }
  const merged = (paints: (Paint | undefined)[]) => {
    const paint: Paint = {};
    for (const key of KEYS) {
      const set = paints.find((p) => p?.[key] !== undefined)?.[key];
      if (set !== undefined) (paint as Record<Key, unknown>)[key] = set;
    }
    return paint;
  };
  const base = merged(chain);
  const types = new Set(chain.flatMap((p) => [...(p.parts?.keys() ?? [])]));
  return [base, ...[...types].map((t) => merged([merged(chain.map((p) => p.parts?.get(t))), base]))];
}

/** Each way the tables around a run may be painted by their styles, innermost table first. */
function tableChoices(run: XmlNode, styles: WordStyles<Paint>): Map<XmlNode, Paint>[] {
  let choices: Map<XmlNode, Paint>[] = [new Map()];
  for (let table = ancestor(run, 'tbl'); table; table = ancestor(table, 'tbl')) {
    const id = value(child(child(table, 'tblPr'), 'tblStyle'));
    const parts = id === undefined ? [{}] : tableParts(styles, id);
    const around = table;
    choices = choices.flatMap((c) => parts.map((p) => new Map(c).set(around, p)));
  }
  return choices;
}

const DRAWING = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const elements = (node: XmlNode | null | undefined) =>
  Array.from(node?.childNodes ?? []).filter((n) => n.nodeType === ELEMENT_NODE);
const NOT_READ: Unknown = { unknown: 'a text box whose fill the reader does not read' };

/** A DrawingML colour without modifiers (lumMod …, which the reader does not apply). */
function drawingColour(colour: XmlNode | undefined, theme: Theme): Fill {
  if (!colour || elements(colour).length > 0) return NOT_READ;
  const val = colour.getAttributeNS(null, 'val');
  const rgb =
    colour.localName === 'srgbClr'
      ? hex(val)
      : colour.localName === 'schemeClr'
        ? themeColour(theme, val)
        : colour.localName === 'sysClr'
          ? hex(colour.getAttributeNS(null, 'lastClr'))
          : undefined;
  return rgb === undefined ? NOT_READ : isUnknown(rgb) ? rgb : [rgb];
}

/** A VML fill colour: #RRGGBB, #RGB, white or black. */
function vmlColour(text: string): Fill {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (m?.[1]) return [Number.parseInt(m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1], 16)];
  const name = text.trim().toLowerCase();
  return name === 'white' ? [WHITE] : name === 'black' ? [0] : NOT_READ;
}

/** What a text box's shape fills it with: null where it has no fill. */
function boxFill(box: XmlNode, theme: Theme): Fill {
  const holder = box.parentNode;
  const shape = holder?.parentNode;
  if (!holder || !shape) return NOT_READ;
  if (holder.localName === 'txbx') {
    const properties = elements(shape).find((n) => n.localName === 'spPr');
    const fill = elements(properties).find(
      (n) => /Fill$/.test(n.localName ?? '') && n.namespaceURI === DRAWING,
    );
    if (fill?.localName === 'noFill') return null;
    if (fill?.localName === 'solidFill') return drawingColour(elements(fill)[0], theme);
    if (fill) return NOT_READ;
    // No fill of its own: a shape style's (wps:style) fills it, unless it names none.
    const style = elements(shape).find((n) => n.localName === 'style');
    const reference = elements(style).find((n) => n.localName === 'fillRef');
    return !reference || reference.getAttributeNS(null, 'idx') === '0' ? null : NOT_READ;
  }
  if (holder.localName === 'textbox') {
    if (/^(?:f|false)$/i.test(shape.getAttributeNS(null, 'filled'))) return null;
    if (elements(shape).some((n) => n.localName === 'fill')) return NOT_READ;
    const colour = shape.getAttributeNS(null, 'fillcolor');
    return colour === '' ? [WHITE] : vmlColour(colour);
  }
  return NOT_READ;
}

const shadingOf = (node: XmlNode, properties: string, theme: Theme) => {
  const shd = child(child(node, properties), 'shd');
  return shd && shading(shd, theme);
};

/** What is behind the paragraph a run is in, from its own shading out: undefined where nothing is (the page). */
function behindParagraph(
  paragraph: XmlNode,
  style: string | undefined,
  tables: Map<XmlNode, Paint>,
  innermost: Paint,
  colours: Colouring,
): Fill | undefined {
  const { styles, theme } = colours;
  const own =
    shadingOf(paragraph, 'pPr', theme) ??
    fromStyle(styles, style, (p) => p.paragraphShade) ??
    innermost.paragraphShade;
  if (own !== undefined && own !== null) return own;
  for (let at = paragraph.parentNode; at; at = at.parentNode) {
    let fill: Fill | undefined;
    if (isWord(at, 'tc')) {
      const table = ancestor(at, 'tbl');
      fill = shadingOf(at, 'tcPr', theme) ?? (table ? tables.get(table)?.cellShade : undefined);
    } else if (isWord(at, 'tr')) fill = shadingOf(at, 'tblPrEx', theme);
    else if (isWord(at, 'tbl')) fill = shadingOf(at, 'tblPr', theme) ?? tables.get(at)?.tableShade;
    else if (isWord(at, 'p')) fill = shadingOf(at, 'pPr', theme);
    else if (isWord(at, 'txbxContent')) fill = boxFill(at, theme);
    if (fill !== undefined && fill !== null) return fill;
  }
  return undefined;
}

/** Whether text of this colour is seen on these backgrounds (`page`: on the page colour and white paper). */
function seenOn(colour: Colour, behind: Fill, page: boolean): Seen {
  if (colour === 'auto') return 'shown';
  if (isUnknown(colour)) return { unknown: `its colour is ${colour.unknown}` };
  if (isUnknown(behind)) return { unknown: `it is printed on ${behind.unknown}` };
  const on = behind ?? [WHITE];
  const unseen = on.map((b) => unseenOn(colour, b));
  if (unseen.every(Boolean)) return 'unseen';
  if (!unseen.some(Boolean)) return 'shown';
  const [hidden, shown] = [on.filter((_, i) => unseen[i]), on.filter((_, i) => !unseen[i])].map((c) =>
    c.map(named).join(', '),
  );
  return {
    unknown: page
      ? `its colour ${named(colour)} is ${unseen[0] ? 'not seen' : 'seen'} on the page colour ${named(on[0] ?? WHITE)} Word shows on screen, and ${unseen[0] ? 'seen' : 'not seen'} on the white paper it prints on`
      : `its colour ${named(colour)} is not seen on ${hidden} and seen on ${shown}, the colours of the pattern shading it`,
  };
}

/** Whether one run's text is seen, for each way its tables' styles may paint it. */
export function seenOf(run: XmlNode, colours: Colouring): Seen {
  const { styles, theme } = colours;
  const own = paintOf(child(run, 'rPr'), theme);
  const under = runStyles(run, styles);
  const paragraph = paragraphOf(run);
  const verdicts: Seen[] = [];
  const nearest = ancestor(run, 'tbl');
  for (const tables of tableChoices(run, styles)) {
    const innermost = (nearest && tables.get(nearest)) || {};
    const pick = <K extends Key>(key: K): Paint[K] =>
      own[key] ??
      fromStyle(styles, under.character, (p) => p[key]) ??
      fromStyle(styles, under.paragraph, (p) => p[key]) ??
      innermost[key] ??
      styles.defaults[key];
    const colour = pick('color') ?? 'auto';
    let behind = colour === 'auto' ? null : (pick('highlight') ?? null);
    if (behind === null && colour !== 'auto') behind = pick('shade') ?? null;
    if (behind === null && colour !== 'auto' && paragraph) {
      behind = behindParagraph(paragraph, under.paragraph, tables, innermost, colours) ?? null;
    }
    const onPage = behind === null && colours.page !== null;
    const page = isUnknown(colours.page) ? colours.page : [...(colours.page ?? []), WHITE];
    verdicts.push(seenOn(colour, onPage ? page : behind, onPage));
  }
  const unknown = verdicts.find(isUnknown);
  if (unknown) return unknown;
  if (verdicts.every((v) => v === verdicts[0])) return verdicts[0] ?? 'shown';
  const table = nearest && value(child(child(nearest, 'tblPr'), 'tblStyle'));
  return {
    unknown: `the table style "${table}" colours its parts (a header row, banded rows) so that the text is seen in some and not in others, and which part this cell is in is not read`,
  };
}

/** The runs of a part whose text is not seen, or whose being seen cannot be told. Read before text boxes move, with their shapes. */
export function unseenRuns(document: XmlDocument, colours: Colouring): Map<XmlNode, Exclude<Seen, 'shown'>> {
  const found = new Map<XmlNode, Exclude<Seen, 'shown'>>();
  for (const run of allWord(document, 'r')) {
    const seen = seenOf(run, colours);
    if (seen !== 'shown') found.set(run, seen);
  }
  return found;
}
