/**
 * Whether a name read from a report names one agency, and not many or none. A short form a
 * page uses among its own links (县财政局, 市政府办公厅, 区财政金融局: any county's or city's) and
 * a part of a name (办公室, 理局, 人民政府: the end of a name wrapped over two lines) name no one:
 * storing a report under one files it with every other county's, so these are refused, not
 * guessed. Everything else is taken as printed: national systems' bodies name no place
 * (交通运输部长江航务管理局, 大连海事局, 石河子大学), and a rule that wanted one refused them.
 */

/** A place's level word alone where the place's name belongs (市财政局, 区财政金融局, 县财政局, 本市…). */
const LEVEL_ALONE = /^(?:省|市(?![中南北]区)|区|县|本市|全市|我市|本区|全区|我区|本县|全县|我县)/;
// 市中区, 市南区 and 市北区 are districts' names (济南市市中区, 青岛市市南区), not 市 alone.

/** What only ever ends a name, or stands for the writer itself (本机关, 我局). */
const NAME_END_ALONE =
  /^(?:人民政府|政府|政府办|办公室|办公厅|委员会|管理委员会|管委会|局|厅|委|办|署|部门|单位)$|^(?:本|我)(?:局|委|办|厅|机关|单位|部门)/;

/** A date (2020年01月08日, 1月8日, 2020-01-08): a list's or page's, never in a name. */
const DATE = /\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}/;

/**
 * Whether a name that names no one may be the second line of a name wrapped over two (办公室,
 * 理局 under 淮安市人民政府): not a short form (区卫生健康局 under the site's name), which starts
 * with a level word alone.
 */
export const mayBeNameEnd = (name: string) => whyNamesNoOne(name) !== null && !LEVEL_ALONE.test(name);

/**
 * Why `name` names no one agency, as the end of a sentence ("… names no place"), or null where
 * it does. A name holding 关于, a book title's or a tag's brackets or a date is a notice's title
 * or a list's entry cut at the wrong place.
 */
export function whyNamesNoOne(name: string): string | null {
  if (/关于/.test(name))
    return "is a notice's words (…关于…), not a name: which agency the report is, the issuer's or the one it is about, cannot be told";
  if (/[《》〈〉[\]【】]/.test(name) || DATE.test(name))
    return 'holds brackets or a date, which no agency’s name does';
  if (LEVEL_ALONE.test(name))
    return 'names a level (市, 区, 县) where its place’s name belongs: it is a short form any city’s, district’s or county’s body goes by (区财政金融局 for 平潭综合实验区财政金融局)';
  if (name.length <= 2 || NAME_END_ALONE.test(name))
    return 'is the end of a name only (a name wrapped over two lines, or the writer naming itself): whose it is cannot be told';
  return null;
}
