/**
 * Colours as a Word (.docx) file states them, for telling whether a run's text can be seen on
 * what is behind it (docx-seen.ts): a text colour (w:color), a shading (w:shd), a highlight
 * (w:highlight), a page colour (w:background) and the theme colours any of them may name. White
 * text on a white cell prints nothing a reader sees, as hidden text does; white text on a blue
 * header cell is read.
 */
import { ELEMENT_NODE, parse, partPath, readPart, type XmlNode, type Zip } from './docx-xml.ts';

/** What cannot be told, said as the message refusing a figure will say it. */
export interface Unknown {
  unknown: string;
}
export const isUnknown = (x: unknown): x is Unknown => typeof x === 'object' && x !== null && 'unknown' in x;

/**
 * A text colour: 'auto', which Word shows black, or white on a dark background, so always seen;
 * an RGB value (0xRRGGBB); or one that cannot be told.
 */
export type Colour = 'auto' | number | Unknown;

/**
 * What a shading or highlight puts behind text: null where it is transparent (no shading, a
 * highlight of none); the colours it shows (two for a pattern of lines, whose text may be seen
 * on one and not the other); or one that cannot be told.
 */
export type Fill = null | number[] | Unknown;

export const WHITE = 0xffffff;
const BLACK = 0x000000;

/** The theme's colours by their scheme names (dk1, lt1, accent1 …), and how the settings map text and background to them. */
export interface Theme {
  scheme: Map<string, number>;
  mapping: Map<string, string>;
}

/** Word's names of theme colours (ST_ThemeColor) and DrawingML's (schemeClr), as scheme names or mapped ones. */
const THEME_NAMES: Record<string, string> = {
  dark1: 'dk1',
  light1: 'lt1',
  dark2: 'dk2',
  light2: 'lt2',
  hyperlink: 'hlink',
  followedHyperlink: 'folHlink',
  background1: 'bg1',
  text1: 'tx1',
  background2: 'bg2',
  text2: 'tx2',
};
/** The mapping Word uses where the settings give none (w:clrSchemeMapping). */
const DEFAULT_MAPPING: Record<string, string> = { bg1: 'lt1', tx1: 'dk1', bg2: 'lt2', tx2: 'dk2' };
/** w:clrSchemeMapping's attributes, and the scheme names its values stand for. */
const MAPPING_ATTRIBUTES: Record<string, string> = { bg1: 'bg1', t1: 'tx1', bg2: 'bg2', t2: 'tx2' };

const DRAWING = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const elementsOf = (node: XmlNode) => Array.from(node.childNodes).filter((n) => n.nodeType === ELEMENT_NODE);

/** A hex RGB value (RRGGBB); undefined for anything else. */
export function hex(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9a-f]{6}$/i.test(text.trim())
    ? Number.parseInt(text.trim(), 16)
    : undefined;
}

/** The theme (word/theme/theme1.xml) and the settings' mapping of it; no colours where the file has no theme. */
export async function readTheme(zip: Zip, main: string): Promise<Theme> {
  const theme: Theme = { scheme: new Map(), mapping: new Map(Object.entries(DEFAULT_MAPPING)) };
  const xml = await readPart(zip, await partPath(zip, main, 'theme', 'word/theme/theme1.xml'));
  // A file without a theme is shown in Word's own: its dark 1 and light 1 are black and white in
  // every Office version (the accents changed between versions, so they stay unknown).
  if (xml === null) {
    theme.scheme.set('dk1', 0x000000);
    theme.scheme.set('lt1', 0xffffff);
  }
  const scheme = xml === null ? undefined : parse(xml)?.getElementsByTagNameNS(DRAWING, 'clrScheme')[0];
  for (const slot of scheme ? elementsOf(scheme) : []) {
    const colour = elementsOf(slot)[0];
    const rgb =
      colour?.localName === 'srgbClr'
        ? hex(colour.getAttributeNS(null, 'val'))
        : colour?.localName === 'sysClr'
          ? hex(colour.getAttributeNS(null, 'lastClr'))
          : undefined;
    if (slot.localName && rgb !== undefined) theme.scheme.set(slot.localName, rgb);
  }
  const settings = await readPart(zip, await partPath(zip, main, 'settings', 'word/settings.xml'));
  const mapping = settings === null ? null : /<(?:[^\s<>:/!?]+:)?clrSchemeMapping\s([^>]*)>/.exec(settings);
  for (const [attribute, name] of Object.entries(MAPPING_ATTRIBUTES)) {
    const to = mapping && new RegExp(`(?:^|\\s)(?:[^\\s=:]+:)?${attribute}="([^"]*)"`).exec(mapping[1] ?? '');
    const scheme = to?.[1] ? (THEME_NAMES[to[1]] ?? to[1]) : undefined;
    if (scheme) theme.mapping.set(name, scheme);
  }
  return theme;
}

/**
 * A theme colour (Word's name or DrawingML's), lightened by a tint or darkened by a shade (hex
 * bytes, ECMA-376 §17.3.2.6: the HSL luminance scaled); unknown where the theme does not define it.
 */
export function themeColour(theme: Theme, name: string, tint?: string, shade?: string): number | Unknown {
  const scheme = THEME_NAMES[name] ?? name;
  const rgb = theme.scheme.get(theme.mapping.get(scheme) ?? scheme);
  if (rgb === undefined)
    return { unknown: `the theme colour "${name}", which the file's theme does not define` };
  const t = tint === undefined ? undefined : Number.parseInt(tint, 16);
  const s = shade === undefined ? undefined : Number.parseInt(shade, 16);
  if (!Number.isFinite(t) && !Number.isFinite(s)) return rgb;
  let [h, sat, l] = toHsl(rgb);
  if (t !== undefined && Number.isFinite(t)) l = l * (t / 255) + (1 - t / 255);
  if (s !== undefined && Number.isFinite(s)) l *= s / 255;
  return fromHsl(h, sat, l);
}

function toHsl(rgb: number): [number, number, number] {
  const [r, g, b] = channels(rgb).map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h: number, s: number, l: number): number {
  const clamped = Math.min(1, Math.max(0, l));
  if (s === 0) return rgbOf([clamped, clamped, clamped]);
  const q = clamped < 0.5 ? clamped * (1 + s) : clamped + s - clamped * s;
  const p = 2 * clamped - q;
  const hue = (t: number) => {
    const x = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return rgbOf([hue(h + 1 / 3), hue(h), hue(h - 1 / 3)]);
}

const channels = (rgb: number) => [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff];
const rgbOf = (c: number[]) =>
  c.reduce((sum, x) => sum * 256 + Math.round(Math.min(1, Math.max(0, x)) * 255), 0);

/** A colour as the message names it. */
export const named = (rgb: number) => `#${rgb.toString(16).toUpperCase().padStart(6, '0')}`;

/** The colour an attribute pair names: the theme's where a theme colour is named (Word then ignores the hex value), else the hex value or auto. */
function attributeColour(element: XmlNode, theme: Theme, names: [string, string, string, string]): Colour {
  const ns = element.namespaceURI;
  const [val, themed, tint, shade] = names;
  const attribute = (name: string) =>
    element.hasAttributeNS(ns, name) ? element.getAttributeNS(ns, name) : undefined;
  const themeName = attribute(themed);
  if (themeName !== undefined && themeName !== 'none') {
    return themeColour(theme, themeName, attribute(tint), attribute(shade));
  }
  const text = attribute(val);
  if (text === undefined || text.trim().toLowerCase() === 'auto') return 'auto';
  return hex(text) ?? { unknown: `the colour value "${text}", which is not a colour Word reads` };
}

/** A run's text colour (w:color). */
export const textColour = (color: XmlNode, theme: Theme): Colour =>
  attributeColour(color, theme, ['val', 'themeColor', 'themeTint', 'themeShade']);

/** The share of the pattern colour a percentage pattern (pct10 …) shows. */
const PERCENT = /^pct(\d+)$/;

/**
 * What a shading (w:shd) puts behind text. Its fill is the background and its pattern (w:val)
 * is drawn over it in the pattern colour: clear shows the fill, solid the pattern colour, a
 * percentage their mix as the eye sees a fine dot pattern, and a pattern of lines either.
 */
export function shading(shd: XmlNode, theme: Theme): Fill {
  const ns = shd.namespaceURI;
  const pattern = shd.hasAttributeNS(ns, 'val') ? shd.getAttributeNS(ns, 'val').trim() : 'clear';
  if (pattern === 'nil') return null;
  const fill = attributeColour(shd, theme, ['fill', 'themeFill', 'themeFillTint', 'themeFillShade']);
  if (pattern === 'clear') return fill === 'auto' ? null : isUnknown(fill) ? fill : [fill];
  // Word draws a pattern's automatic colour black, and an automatic fill under it shows white.
  const over = attributeColour(shd, theme, ['color', 'themeColor', 'themeTint', 'themeShade']);
  const ink = over === 'auto' ? BLACK : over;
  const paper = fill === 'auto' ? WHITE : fill;
  if (isUnknown(ink)) return ink;
  if (pattern === 'solid') return [ink];
  if (isUnknown(paper)) return paper;
  const percent = PERCENT.exec(pattern);
  if (!percent) return [paper, ink];
  const share = Number(percent[1]) / 100;
  const [a, b] = [channels(paper), channels(ink)];
  return [rgbOf(a.map((x, i) => (x * (1 - share) + (b[i] ?? 0) * share) / 255))];
}

/** Word's highlight colours (ST_HighlightColor). */
const HIGHLIGHTS: Record<string, number> = {
  black: 0x000000,
  blue: 0x0000ff,
  cyan: 0x00ffff,
  green: 0x00ff00,
  magenta: 0xff00ff,
  red: 0xff0000,
  yellow: 0xffff00,
  white: 0xffffff,
  darkBlue: 0x000080,
  darkCyan: 0x008080,
  darkGreen: 0x008000,
  darkMagenta: 0x800080,
  darkRed: 0x800000,
  darkYellow: 0x808000,
  darkGray: 0x808080,
  lightGray: 0xc0c0c0,
};

/** What a highlight (w:highlight) puts behind text. */
export function highlight(element: XmlNode): Fill {
  const ns = element.namespaceURI;
  const name = element.hasAttributeNS(ns, 'val') ? element.getAttributeNS(ns, 'val').trim() : 'none';
  if (name === 'none') return null;
  const rgb = HIGHLIGHTS[name];
  return rgb === undefined ? { unknown: `the highlight "${name}", which is not one Word draws` } : [rgb];
}

/** WCAG's relative luminance. */
function luminance(rgb: number): number {
  const [r, g, b] = channels(rgb).map((c) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Below this contrast ratio (WCAG's, 1 for the same colour, 21 for black on white) a reader does
 * not see text on its background: #FEFEFE on white (1.01) is white on white; light grey #999999
 * (2.8), faint as it is, is read.
 */
const UNSEEN_CONTRAST = 1.2;

/** Whether text of colour `text` is too close to its background to be seen. */
export function unseenOn(text: number, background: number): boolean {
  const [a, b] = [luminance(text), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) < UNSEEN_CONTRAST;
}
