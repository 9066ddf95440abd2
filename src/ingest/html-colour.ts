/**
 * Colours as a browser paints them, to tell text drawn in the colour of what is behind it (white
 * on a white page, color:transparent) from text a reader sees (html-hidden.ts): a figure's digit
 * so drawn is not shown, 82<span style="color:#fff">7</span>1 reads 821 on screen. A colour is
 * [red, green, blue, alpha], 0–255 and 0–1.
 */
export type Colour = readonly [number, number, number, number];

export const BLACK: Colour = [0, 0, 0, 1];
export const WHITE: Colour = [255, 255, 255, 1];
const TRANSPARENT: Colour = [0, 0, 0, 0];

/** The named colours of CSS, as hex. */
const NAMED: ReadonlyMap<string, string> = new Map(
  // System colours, as Chromium paints them by default (Word's HTML writes windowtext).
  (
    'windowtext:000000 window:ffffff canvas:ffffff canvastext:000000 buttontext:000000 ' +
    'buttonface:f0f0f0 graytext:6d6d6d menutext:000000 captiontext:000000 infotext:000000 ' +
    'highlighttext:ffffff linktext:0000ee visitedtext:551a8b ' +
    'aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc ' +
    'bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a ' +
    'burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50 ' +
    'cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b darkcyan:008b8b ' +
    'darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b ' +
    'darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 ' +
    'darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f ' +
    'darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff ' +
    'dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0 ' +
    'forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 ' +
    'goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f grey:808080 honeydew:f0fff0 ' +
    'hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa ' +
    'lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 ' +
    'lightcyan:e0ffff lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 ' +
    'lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa ' +
    'lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 ' +
    'limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa ' +
    'mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 ' +
    'mediumslateblue:7b68ee mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585 ' +
    'midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead ' +
    'navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 ' +
    'orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 ' +
    'papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 ' +
    'purple:800080 rebeccapurple:663399 red:ff0000 rosybrown:bc8f8f royalblue:4169e1 ' +
    'saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee sienna:a0522d ' +
    'silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 slategrey:708090 snow:fffafa ' +
    'springgreen:00ff7f steelblue:4682b4 tan:d2b48c teal:008080 thistle:d8bfd8 tomato:ff6347 ' +
    'turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff whitesmoke:f5f5f5 yellow:ffff00 ' +
    'yellowgreen:9acd32 '
  )
    .trim()
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

const hexColour = (hex: string): Colour | null => {
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}(?:[0-9a-f]{2})?$/.test(full)) return null;
  const n = (i: number) => Number.parseInt(full.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), full.length === 8 ? n(6) / 255 : 1];
};

/** A number of a colour function: a share of `whole` for a percentage. */
const part = (text: string, whole: number): number | null => {
  const m = /^(-?\d*\.?\d+(?:e-?\d+)?)(%|deg)?$/.exec(text);
  if (!m) return text === 'none' ? 0 : null;
  const n = Number(m[1]);
  return m[2] === '%' ? (n / 100) * whole : n;
};
const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n));

function hslColour(h: number, s: number, l: number): [number, number, number] {
  const hue = (((h % 360) + 360) % 360) / 360;
  const sat = clamp(s, 100) / 100;
  const light = clamp(l, 100) / 100;
  const q = light < 0.5 ? light * (1 + sat) : light + sat - light * sat;
  const p = 2 * light - q;
  const channel = (t0: number) => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    const v = t < 1 / 6 ? p + (q - p) * 6 * t : t < 1 / 2 ? q : t < 2 / 3 ? p + (q - p) * (2 / 3 - t) * 6 : p;
    return v * 255;
  };
  return [channel(hue + 1 / 3), channel(hue), channel(hue - 1 / 3)];
}

/**
 * A colour as declared (lower-case, no spaces inside words), or null where it cannot be told
 * here (var(), color-mix(), a system colour): such text is neither read nor dropped as
 * invisible, it is doubted. `currentcolor` is the caller's to resolve.
 */
export function parseColour(value: string): Colour | 'currentcolor' | null {
  const v = value.trim();
  if (v === 'transparent') return TRANSPARENT;
  if (v === 'currentcolor') return 'currentcolor';
  if (v.startsWith('#')) return hexColour(v.slice(1));
  const named = NAMED.get(v);
  if (named) return hexColour(named);
  const fn = /^(rgba?|hsla?)\((.*)\)$/.exec(v);
  if (!fn) return null;
  const args = (fn[2] ?? '').replace(/\//g, ' / ').replace(/,/g, ' ').trim().split(/\s+/);
  const slash = args.indexOf('/');
  const alphaText = slash >= 0 ? args[slash + 1] : args[3];
  const [a, b, c] = slash >= 0 ? args.slice(0, slash) : args.slice(0, 3);
  if (a === undefined || b === undefined || c === undefined) return null;
  const alpha = alphaText === undefined ? 1 : part(alphaText, 1);
  if (alpha === null) return null;
  if (fn[1]?.startsWith('rgb')) {
    const rgb = [part(a, 255), part(b, 255), part(c, 255)];
    if (rgb.some((n) => n === null)) return null;
    const [r, g, bl] = rgb as number[];
    return [clamp(r ?? 0, 255), clamp(g ?? 0, 255), clamp(bl ?? 0, 255), clamp(alpha, 1)];
  }
  const h = part(a.replace(/deg$/, ''), 360);
  const s = part(b.endsWith('%') ? b : `${b}%`, 100);
  const l = part(c.endsWith('%') ? c : `${c}%`, 100);
  if (h === null || s === null || l === null) return null;
  return [...hslColour(h, s, l), clamp(alpha, 1)];
}

/** `top` painted over the opaque `below`. */
export const over = (top: Colour, below: Colour): Colour => {
  const a = top[3];
  return [
    top[0] * a + below[0] * (1 - a),
    top[1] * a + below[1] * (1 - a),
    top[2] * a + below[2] * (1 - a),
    1,
  ];
};

const luminance = (c: Colour) => {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
};

/**
 * Below this contrast ratio (WCAG's, 1 for the same colour, 21 for black on white) text cannot
 * be made out from what is behind it: #fefefe on white is 1.01, the palest grey a page prints
 * text in (#ccc on white) 1.6.
 */
const UNREADABLE_CONTRAST = 1.2;

/** Whether text of colour `text` over the opaque `backdrop` is not seen: transparent, or too close to it. */
export function unseen(text: Colour, backdrop: Colour): boolean {
  if (text[3] === 0) return true;
  const painted = over(text, backdrop);
  const [light, dark] = [luminance(painted), luminance(backdrop)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05) < UNREADABLE_CONTRAST;
}

/**
 * The colour an element's text is drawn in and what is behind it, from what it declares (`color`,
 * `background`) and what it inherits; null where not known here (var()).
 */
export function colours(
  color: string | undefined,
  background: string | undefined,
  inherited: { colour: Colour | null; backdrop: Colour | null },
): { colour: Colour | null; backdrop: Colour | null } {
  let colour = inherited.colour;
  // A value a browser does not parse (color: auto) is dropped, as it drops it; one it computes
  // from what is not read here (var(), an image behind) is not known.
  const dropped = (value: string, parsed: unknown) =>
    parsed === null && value !== '?' && !/\b(?:var|env|attr|calc|color-mix|light-dark)\(/.test(value);
  if (color !== undefined && !/^(?:inherit|unset|revert)$/.test(color)) {
    const parsed = color === 'initial' ? BLACK : parseColour(color);
    if (!dropped(color, parsed)) colour = parsed === 'currentcolor' ? inherited.colour : parsed;
  }
  let backdrop = inherited.backdrop;
  if (background !== undefined && !/^(?:inherit|unset|initial|revert|none)$/.test(background)) {
    const parsed = parseColour(background);
    if (dropped(background, parsed)) return { colour, backdrop };
    const painted = parsed === 'currentcolor' ? colour : parsed;
    backdrop = painted === null || backdrop === null ? null : over(painted, backdrop);
  }
  return { colour, backdrop };
}

/** A colour surely seen on white: black, or a dark grey or colour written as #rgb or #rrggbb. */
const darkColour = (colour: string) =>
  /^(?:black|windowtext|canvastext|inherit|initial|unset|currentcolor)$/.test(colour) ||
  (/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/.test(colour) &&
    (colour.length === 4 ? [1, 2, 3] : [1, 3, 5]).every((i) => Number.parseInt(colour[i] ?? 'f', 16) < 10));

/** A background that is not white (or none), an image included. */
const NOT_WHITE_BACKGROUND =
  /background(?:-color|-image)?\s*:\s*(?!\s*(?:#fff(?:fff)?|white|transparent|none)\s*(?:[;}!"']|$))/i;
const COLOUR = /(?:^|[^-\w])color\s*:\s*([^;}!"']+)/gi;

/**
 * Whether CSS text (a stylesheet, a style attribute) sets a background that is not white, or a
 * colour not surely dark: then the page's colours and backgrounds are worth reading.
 */
export function colourfulCss(css: string): boolean {
  if (!css.includes('olor') && !css.includes('ackground')) return false;
  if (NOT_WHITE_BACKGROUND.test(css)) return true;
  for (const m of css.matchAll(COLOUR)) if (!darkColour((m[1] ?? '').trim().toLowerCase())) return true;
  return false;
}

/** Words of a value, split at spaces outside parentheses. */
export const words = (value: string) => value.match(/(?:[^\s(]+|\([^)]*\))+/g) ?? [];

/** A picture or gradient a background value paints: what it shows behind the text is not read here. */
export const PICTURE = /var\(|url\(|gradient\(|image\(/;

/** The colour of a `background` shorthand: transparent where it names none; unknown ('?') where a var() may be one. */
export function backgroundColour(value: string): string {
  if (value.includes('var(')) return '?';
  const colour = words(value).find((w) => /^(?:#|rgba?\(|hsla?\(|[a-z]+$)/.test(w) && !KEYWORDS.has(w));
  return colour ?? 'transparent';
}
/** Words of a background shorthand that are not colours. */
const KEYWORDS = new Set([
  'none',
  'repeat',
  'no-repeat',
  'repeat-x',
  'repeat-y',
  'space',
  'round',
  'fixed',
  'scroll',
  'local',
  'top',
  'bottom',
  'left',
  'right',
  'center',
  'cover',
  'contain',
  'auto',
  'border-box',
  'padding-box',
  'content-box',
  'text',
  'inherit',
  'initial',
  'unset',
  'revert',
]);
