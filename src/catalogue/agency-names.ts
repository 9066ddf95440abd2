/**
 * How people write agency names when they search: common abbreviations (科技局 for
 * 科学技术局) and a leading province they may add or leave out. Pure data and functions;
 * the search that ranks agencies by them is comparison/agencies.ts.
 */

/** Abbreviation → the full form used in official agency names. Longest abbreviations win. */
export const AGENCY_NAME_ABBREVIATIONS: Readonly<Record<string, string>> = {
  科技局: '科学技术局',
  科技厅: '科学技术厅',
  人社局: '人力资源和社会保障局',
  人社厅: '人力资源和社会保障厅',
  卫健委: '卫生健康委员会',
  卫健局: '卫生健康局',
  市监局: '市场监督管理局',
  市场监管局: '市场监督管理局',
  发改委: '发展和改革委员会',
  发改局: '发展和改革局',
  住建局: '住房和城乡建设局',
  住建厅: '住房和城乡建设厅',
  工信局: '工业和信息化局',
  工信厅: '工业和信息化厅',
  文旅局: '文化和旅游局',
  文旅厅: '文化和旅游厅',
  自规局: '自然资源和规划局',
  生态局: '生态环境局',
  环保局: '生态环境局',
  交通局: '交通运输局',
  农业局: '农业农村局',
  林草局: '林业和草原局',
  应急局: '应急管理局',
  医保局: '医疗保障局',
  退役军人局: '退役军人事务局',
  民宗局: '民族宗教事务局',
  国资委: '国有资产监督管理委员会',
  人防办: '人民防空办公室',
  政务服务局: '政务服务管理局',
  审批局: '行政审批服务局',
  市政府: '市人民政府',
  县政府: '县人民政府',
  区政府: '区人民政府',
  镇政府: '镇人民政府',
  乡政府: '乡人民政府',
};

/** Province-level divisions: the first two digits of their codes, full name, then the short form people write before a name. */
const PROVINCES: readonly (readonly [string, string, string])[] = [
  ['11', '北京市', '北京'],
  ['12', '天津市', '天津'],
  ['13', '河北省', '河北'],
  ['14', '山西省', '山西'],
  ['15', '内蒙古自治区', '内蒙古'],
  ['21', '辽宁省', '辽宁'],
  ['22', '吉林省', '吉林'],
  ['23', '黑龙江省', '黑龙江'],
  ['31', '上海市', '上海'],
  ['32', '江苏省', '江苏'],
  ['33', '浙江省', '浙江'],
  ['34', '安徽省', '安徽'],
  ['35', '福建省', '福建'],
  ['36', '江西省', '江西'],
  ['37', '山东省', '山东'],
  ['41', '河南省', '河南'],
  ['42', '湖北省', '湖北'],
  ['43', '湖南省', '湖南'],
  ['44', '广东省', '广东'],
  ['45', '广西壮族自治区', '广西'],
  ['46', '海南省', '海南'],
  ['50', '重庆市', '重庆'],
  ['51', '四川省', '四川'],
  ['52', '贵州省', '贵州'],
  ['53', '云南省', '云南'],
  ['54', '西藏自治区', '西藏'],
  ['61', '陕西省', '陕西'],
  ['62', '甘肃省', '甘肃'],
  ['63', '青海省', '青海'],
  ['64', '宁夏回族自治区', '宁夏'],
  ['65', '新疆维吾尔自治区', '新疆'],
];

const PROVINCE_PREFIXES = PROVINCES.flatMap(([, full, short]) => [full, short]).sort(
  (a, b) => b.length - a.length,
);
const ABBREVIATIONS = Object.keys(AGENCY_NAME_ABBREVIATIONS).sort((a, b) => b.length - a.length);

/** The text with every abbreviation written out, longest first, without expanding an expansion. */
export function expandAbbreviations(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const found = ABBREVIATIONS.find((a) => text.startsWith(a, i));
    if (found) {
      // A full form already written (科学技术局) must not be expanded again.
      const full = AGENCY_NAME_ABBREVIATIONS[found] ?? found;
      out += full;
      i += found.length;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/**
 * A text that ends in the start of an abbreviation, as typed on the way to it (中卫科技 before
 * 中卫科技局), with that start written out as far as every full form it may become agrees:
 * 科技 → 科学技术 (科学技术局, 科学技术厅), 卫健 → 卫生健康. Null when no abbreviation starts so
 * (at least two characters, so that one character is never read as an abbreviation).
 */
export function expandTypedTail(text: string): string | null {
  for (let n = Math.min(text.length, (ABBREVIATIONS[0]?.length ?? 0) - 1); n >= 2; n--) {
    const tail = text.slice(-n);
    const fulls = ABBREVIATIONS.filter((a) => a.length > n && a.startsWith(tail)).map(
      (a) => AGENCY_NAME_ABBREVIATIONS[a] ?? a,
    );
    if (fulls.length === 0) continue;
    let common = fulls[0] ?? '';
    for (const full of fulls) while (!full.startsWith(common)) common = common.slice(0, -1);
    return common.length > n ? text.slice(0, -n) + common : null;
  }
  return null;
}

/** An agency name as stored and keyed: names have no spaces, so one typed or given with them is read without. */
export const compactAgencyName = (name: string) => name.replace(/\s+/g, '');

/** The code prefix (64) of the province a text names, full (宁夏回族自治区) or short (宁夏); else undefined. */
export const provinceNamed = (text: string): string | undefined =>
  PROVINCES.find(([, full, short]) => text === full || text === short)?.[0];

/** The province a text starts with in its short form (宁夏 in 宁夏财政厅, not in 宁夏回族自治区财政厅). */
export function leadingShortProvince(text: string): { code: string; short: string } | undefined {
  const found = PROVINCES.find(([, full, short]) => text.startsWith(short) && !text.startsWith(full));
  return found ? { code: found[0], short: found[2] } : undefined;
}

/** The text without a leading province (宁夏回族自治区, 宁夏), when something is left. */
export function withoutProvince(text: string): string {
  const prefix = PROVINCE_PREFIXES.find((p) => text.startsWith(p) && text.length > p.length);
  return prefix ? text.slice(prefix.length) : text;
}

/**
 * The ways a searched name may be written in a stored one: as typed, without a leading
 * province, with abbreviations written out (also one being typed), and both. Whitespace is
 * dropped (names have none).
 */
export function agencyNameVariants(text: string): string[] {
  const typed = compactAgencyName(text);
  if (typed === '') return [];
  const bare = withoutProvince(typed);
  const written = [typed, bare].flatMap((t) => {
    const full = expandAbbreviations(t);
    const tail = expandTypedTail(full);
    return tail ? [full, tail] : [full];
  });
  return [...new Set([typed, bare, ...written])];
}

/** The distinct pairs of neighbouring characters of a text (code points, not UTF-16 units). */
export function characterBigrams(text: string): string[] {
  const chars = [...text];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(`${chars[i]}${chars[i + 1]}`);
  return [...pairs];
}
