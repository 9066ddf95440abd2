/**
 * Whether a name read from a report names one agency, and not many or none: a body below the
 * national level is named with its place (平潭综合实验区财政金融局, 淮安市清江浦区人民政府), so a
 * name without one (县财政局, 市政府办公厅: short forms a page uses among its own links) could be
 * any county's or city's, and a part of a name (办公室, 理局, 人民政府: the end of a name wrapped
 * over two lines) is no one's. Storing a report under such a name files it with every other
 * county's, so these are refused, not guessed.
 */

/**
 * A name that starts with its place: two or more characters and a level (上海市, 江苏省,
 * 平潭综合实验区, 恩施土家族苗族自治州, 正蓝旗's 旗 and a county's 县 after one: 沛县), or a
 * province's short name (上海海关). Words that end as a place does but are none are passed
 * over: 市场, 城市, 城乡, 城镇, 社区, 辖区 (…住房和城乡建设局 names no place).
 */
const PLACE_START =
  /^(?:[\u3400-\u9fff]{2,15}?(?:省|(?<!城)市(?!场)|(?<![社辖])区|州|盟|(?<!城)镇|(?<!城)乡|街道|兵团)|[\u3400-\u9fff]{1,15}?[县旗]|(?:北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门))/;

/**
 * A national body, which has no place: 国务院办公厅, 国家税务总局, 中国人民银行, a ministry
 * (生态环境部) or administration (海关总署, 审计署), a customs district (拱北海关) and the river
 * basins' commissions (长江水利委员会).
 */
const NATIONAL =
  /^(?:国务院|国家|中华人民共和国|中国|中央|中共中央|全国|最高人民|长江|黄河|淮河|海河|珠江|松辽|太湖)|^[\u3400-\u9fff]{2,12}(?:部|署|海关)$/;

/** A place's level word alone where the place's name belongs: 市财政局, 区财政金融局, 县财政局. */
const LEVEL_ALONE = /^(?:省|市(?![中南北]区)|区|县|本市|全市|我市|本区|全区|我区|本县|全县|我县)/;

/** A date (2020年01月08日, 1月8日, 2020-01-08): a list's or page's, never in a name. */
const DATE = /\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}/;

/**
 * Why `name` names no one agency, as the end of a sentence ("… names no place"), or null where
 * it does. A name holding 关于, a book title's or a tag's brackets or a date is a notice's title
 * or a list's entry cut at the wrong place.
 */
export function whyNamesNoOne(name: string): string | null {
  if (/关于/.test(name))
    return "is a notice's words (…关于…), not a name: which agency the report is, the issuer's or the one it is about, cannot be told";
  if (/[《》〈〉[\]【】]/.test(name) || DATE.test(name))
    return "holds brackets or a date, which no agency's name does";
  if (NATIONAL.test(name)) return null;
  if (LEVEL_ALONE.test(name) || !PLACE_START.test(name)) {
    return "names no place and no national body: it may be a part of a name, or a short form any county's or city's body goes by, where a body below the national level is named with its place (平潭综合实验区财政金融局, not 区财政金融局)";
  }
  return null;
}
