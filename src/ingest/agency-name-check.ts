/**
 * Whether a name read from a report names one agency, and not many or none. A short form a
 * page uses among its own links (县财政局, 市政府办公厅, 区财政金融局: any county's or city's) and
 * a part of a name (办公室, 理局, 人民政府: the end of a name wrapped over two lines) name no one:
 * storing a report under one files it with every other county's, so these are refused, not
 * guessed. Everything else is taken as printed: national systems' bodies name no place
 * (交通运输部长江航务管理局, 大连海事局, 石河子大学), and a rule that wanted one refused them.
 */

import { masthead, oneBodyTwoNames } from './agency-bodies.ts';

/** A place's level word alone where the place's name belongs (市财政局, 区财政金融局, 县财政局, 本市…). */
const LEVEL_ALONE = /^(?:省|市(?![中南北]区)|区|县|本市|全市|我市|本区|全区|我区|本县|全县|我县)/;
// 市中区, 市南区 and 市北区 are districts' names (济南市市中区, 青岛市市南区), not 市 alone.

/** What only ever ends a name, or stands for the writer itself (本机关, 我局). */
const NAME_END_ALONE =
  /^(?:人民政府|政府|政府办|办公室|办公厅|委员会|管理委员会|管委会|局|厅|委|办|署|部门|单位)$|^(?:本|我)(?:局|委|办|厅|机关|单位|部门)/;

/** A date (2020年01月08日, 1月8日, 2020-01-08): a list's or page's, never in a name. */
const DATE = /\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}/;

/**
 * A website's name (…门户网站, …政府网, …门户, …政务服务平台). A portal prints its name above every
 * report it carries, its departments' too, so it says nothing of whose report one is; and a
 * site's name ends …站 as a 气象站's does, so it passed for an agency's.
 */
const SITE_NAME = /(?:网站|网|门户|平台)$/;

/**
 * The ends of agencies' names (…局, …委员会, …人民政府, …办事处, …中心, a zone or place): a line
 * above a title that names no agency is taken for the agency only if it ends so. A date, a
 * document number (…〔2025〕3号), a location line's last level (政府信息公开年报) or a share
 * bar's words are not names, and taking them stored a report under them.
 */
export const AGENCY_NAME_END =
  /(?:局|委员会|委|办公室|办|厅|政府|院|中心|署|会|所|站|处|部|队|馆|社|司|室|组|行|镇|乡|街道|区|县|市|省|州|盟|旗|关|台|库|场|校|学|团|园|狱|厂|段|协|联|师)$/;

/** The ends above that a place's name has too (淮安市, 清江浦区): a name's first part may end so. */
const PLACE_END = /(?:镇|乡|街道|区|县|市|省|州|盟|旗)$/;

/** A name that starts with its place (淮安市…, 中共淮安市委…, 国家税务总局淮安市…) or its level alone (市…). */
const PLACE_FIRST =
  /^(?:中共|国家|中国)?[\u3400-\u9fff]{1,12}?(?:省|市|自治区|自治州|自治县|区|县|州|盟|旗|镇|乡|街道)/;

/** Words that join two agencies' names in one title (财政局和国资委); never inside one name after its end. */
const JOINED_BY = /和|与|及|暨/g;

/**
 * Whether a name may be the end of one wrapped over two lines (办公室,
 * 理局 under 淮安市人民政府): not a short form (区卫生健康局 under the site's name), which starts
 * with a level word alone.
 */
export const mayBeNameEnd = (name: string) => whyNamesNoOne(name) !== null && !LEVEL_ALONE.test(name);

/** Whether `name` is a whole body's name, as an agency ends it (…局, …委员会), not a place's. */
const bodyName = (name: string) =>
  name.length >= 3 && AGENCY_NAME_END.test(name) && !PLACE_END.test(name) && !SITE_NAME.test(name);

/**
 * Whether `right`, printed after a whole name, is another agency's name rather than the rest of
 * the first's: it ends as a body's name and starts with its own place (淮安市国资委) or a level
 * alone (市国资委). 办公室 or 信访办公室 after 淮安市人民政府 is the first name's own end.
 */
const anotherName = (right: string) =>
  bodyName(right) && (PLACE_FIRST.test(right) || LEVEL_ALONE.test(right));

/**
 * The two agencies a name joins (上海市财政局和上海市国资委, or 上海市财政局 上海市国资委 as `printed`
 * with the space): a joint report's, whose figures are both agencies' and neither's alone.
 * Null where it is one name. Names joined by 、 are left whole: that is how one office serving
 * two masters is named (中共上海市委、上海市人民政府信访办公室), and it is the name every year. A
 * space or 暨 between two names of one body (国家税务总局 上海市税务局, 中共…纪律检查委员会 …监察委员会,
 * …局 淮阴区分局, …统战部暨县民族宗教事务局: oneBodyTwoNames) is that body's name; 和, 与 and 及 say
 * two bodies, and are not let by so.
 */
export function twoAgencies(name: string, printed?: string): [string, string] | null {
  const splits = [...name.matchAll(JOINED_BY)].map((m) => [m.index, m.index + m[0].length, m[0] === '暨']);
  if (printed !== undefined) splits.push(...spacesIn(name, printed).map((at) => [at, at, true]));
  for (const [end, start, mayBeOne] of splits as [number, number, boolean][]) {
    const left = name.slice(0, end);
    const right = name.slice(start);
    if (mayBeOne && oneBodyTwoNames(left, right)) continue;
    if (bodyName(left) && whyNamesNoOne(left, false) === null && anotherName(right)) return [left, right];
  }
  return null;
}

/**
 * Where, in `name` (printed without spaces), `printed` had a space between two of its
 * characters. Letter-spacing (国 家 税 务 总 局 上 海 市 税 务 局, a heading spaced out over the
 * page) is layout, not a separator: a space between two single characters counts only where it
 * is wider than the narrowest such space, as a gap left between two letter-spaced names is.
 */
function spacesIn(name: string, printed: string): number[] {
  const normalized = printed.normalize('NFKC');
  // Most names are printed without a space: no pattern to build (a fresh RegExp per report).
  if (!/\s/.test(normalized)) return [];
  const escaped = [...name].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const m = new RegExp(escaped.join('(\\s*)')).exec(normalized);
  if (!m) return [];
  const gaps = m.slice(1).map((g) => g?.length ?? 0);
  // A gap between two characters each spaced from its other neighbour too (or at the name's end).
  const spaced = (i: number) =>
    (i === 0 || (gaps[i - 1] ?? 0) > 0) && (i === gaps.length - 1 || (gaps[i + 1] ?? 0) > 0);
  const letterGaps = gaps.filter((g, i) => g > 0 && spaced(i));
  const narrowest = Math.min(...letterGaps);
  const at: number[] = [];
  for (const [i, g] of gaps.entries()) if (g > 0 && !(spaced(i) && g <= narrowest)) at.push(i + 1);
  return at;
}

/**
 * Why `name` names no one agency, as the end of a sentence ("… names no place"), or null where
 * it does. A name holding 关于, a book title's or a tag's brackets or a date is a notice's title
 * or a list's entry cut at the wrong place.
 */
export function whyNamesNoOne(name: string, joint = true): string | null {
  if (/关于/.test(name))
    return "is a notice's words (…关于…), not a name: which agency the report is, the issuer's or the one it is about, cannot be told";
  if (/[《》〈〉[\]【】]/.test(name) || DATE.test(name))
    return 'holds brackets or a date, which no agency’s name does';
  if (SITE_NAME.test(name))
    return 'is a website’s name, not an agency’s: a portal prints its name above every report it carries, its departments’ too, so whose report this is cannot be told from it';
  if (LEVEL_ALONE.test(name))
    return 'names a level (市, 区, 县) where its place’s name belongs: it is a short form any city’s, district’s or county’s body goes by (区财政金融局 for 平潭综合实验区财政金融局)';
  if (name.length <= 2 || NAME_END_ALONE.test(name))
    return 'is the end of a name only (a name wrapped over two lines, or the writer naming itself): whose it is cannot be told';
  const two = joint ? twoAgencies(name) : null;
  if (two) return jointWhy(two);
  return null;
}

/** Why a name joining two agencies' is refused. */
export const jointWhy = ([a, b]: [string, string]) =>
  `names two agencies, "${a}" and "${b}": a joint report, which is neither one's alone, and filing it under either (or under both names run together) would be a guess`;

/** A government's name (…人民政府, …管委会): the level a site's header or a portal's field names for all its departments. */
export const GOVERNMENT_NAME = /(?:人民政府|政府|管理委员会|管委会)$/;

/**
 * Whether two names may be one agency's, or one the other's own office or part: the same name;
 * one with its places printed and one without (沙坡头区卫生健康局); one an office of the other
 * (淮安市人民政府办公室 compiling 淮安市人民政府's report). 人民政府 and 政府, 管理委员会 and 管委会
 * are one word.
 */
export function mayBeOneAgency(a: string, b: string): boolean {
  const x = a.replace(/人民政府/g, '政府').replace(/管理委员会/g, '管委会');
  const y = b.replace(/人民政府/g, '政府').replace(/管理委员会/g, '管委会');
  return x.startsWith(y) || y.startsWith(x) || x.endsWith(y) || y.endsWith(x);
}

/**
 * The agency's name where a whole name is printed over another above a title naming none, or
 * null where they are two agencies (淮安市财政局 / 淮安市国资委: a joint report's header, or a
 * list). One body's name over two lines (国家税务总局 / 上海市税务局, 中共淮安市纪律检查委员会 /
 * 淮安市监察委员会) is read whole, as it is where printed on one line; a name printed twice, or
 * with its places over without them (江苏省淮安市财政局 / 淮安市财政局), or a body over its own
 * (淮安市人民政府办公室 / 淮安市人民政府) is one agency's, read from the lower line as ever. A party
 * body's name over a same-place government body's (中共中卫市沙坡头区委员会 / 中卫市沙坡头区人民政府)
 * or a national body's over its local counterpart's (国家发展和改革委员会 / 中卫市发展和改革委员会)
 * is a masthead, as a government's is (agency-bodies.ts masthead): the lower line, read as it
 * was before a466b17.
 */
export function nameOverName(upper: string, lower: string): string | null {
  if (oneBodyTwoNames(upper, lower)) return upper + lower;
  if (masthead(upper, lower)) return lower;
  return mayBeOneAgency(upper, lower) ? lower : null;
}
