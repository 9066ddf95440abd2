/**
 * Whether two names printed for one report may be one body's, where they differ as printed.
 * Refusing a report because two names differ is right only where they are sure to be two
 * bodies; these are the ways one body's names differ that the checks for joint reports, other
 * writers and lists of other reports (agency-name-check.ts, metadata-conflicts.ts) must let by:
 * - its higher places printed or not (中卫市沙坡头区卫生健康局, 沙坡头区卫生健康局);
 * - a short form of its body word (卫健局, 人社局, 发改委, 市监局 for 卫生健康局, 人力资源和社会保障局,
 *   发展和改革委员会, 市场监督管理局): the short form keeps the full one's characters in order;
 * - a place alone for its government (沙坡头区 for 沙坡头区人民政府), 政府 for 人民政府;
 * - one name over two (国家税务总局 上海市税务局, 中共上海市纪律检查委员会 上海市监察委员会, 淮安市生态环境局
 *   淮阴区分局), which a joint report's check split at the space or line between them.
 */

/**
 * A place's level at a name's start: 宁夏回族自治区, 中卫市, 沙坡头区, 沭阳县, 沛县. 乡, 镇 and 街道 are
 * left out, as words bodies' names hold (城乡建设, 乡镇); 市 needs two characters before it (城市管理局
 * is no place 城市), 州 none of 市区县 after it (杭州市 is one place, not 杭州 then 市…).
 */
const LEVEL =
  /^[\u3400-\u9fff]{1,10}?(?:自治区|自治州|自治县|特别行政区|省|区|县|盟|旗|州(?![市区县])|(?<=^[\u3400-\u9fff]{2,10})市)/;

const TOWN = /^[\u3400-\u9fff]{1,8}?(?:镇|乡|街道)(?=$|人民政府|政府|办事处)/;

/** The places a name starts with, and the rest: 中卫市沙坡头区卫生健康局 → [中卫市, 沙坡头区], 卫生健康局. */
function placesOf(name: string): { places: string[]; body: string } {
  const places: string[] = [];
  let body = name;
  for (let m = LEVEL.exec(body); m && places.length < 5; m = LEVEL.exec(body)) {
    places.push(m[0]);
    body = body.slice(m[0].length);
  }
  // A town (胡集镇, 狮山街道) only before its government's word or alone: 乡 and 镇 are words of
  // bodies' names too (城乡, 乡镇).
  const town = TOWN.exec(body)?.[0];
  if (town) places.push(town);
  return { places, body: town ? body.slice(town.length) : body };
}

/** 人民政府 and 政府, 管理委员会 and 管委会 are one word. */
const normal = (name: string) => name.replace(/人民政府/g, '政府').replace(/管理委员会/g, '管委会');

/** A name with its higher places left out, down to its lowest (中卫市沙坡头区…, 沙坡头区…). */
function variants(name: string): string[] {
  const { places, body } = placesOf(name);
  const out = [name];
  for (let k = 1; k < places.length; k++) out.push(places.slice(k).join('') + body);
  return out;
}

/** The kind of body a name ends with (局, 委 for 委员会 too, 府, 室). */
const kind = (name: string) => name.replace(/委员会$/, '委').at(-1);

function inOrder(short: string, long: string): boolean {
  let at = 0;
  for (const c of short) {
    at = long.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * Whether body word `short` may be a short form of `long`: it starts as the full one does, ends
 * with the same kind of body and keeps the full one's characters in order (卫健局, 发改委). A
 * body of another kind (财政局 beside 人民政府, 国库支付中心 after 财政局) is another body, and so
 * is a longer name built on the shorter one's word (builtOn).
 */
const shortForm = (short: string, long: string) =>
  short.length >= 2 &&
  short.length < long.length &&
  short[0] === long[0] &&
  kind(short) === kind(long) &&
  inOrder(short, long) &&
  !builtOn(short, long);

/**
 * Whether `long` is another body built on `short`'s word: `short` whole before more (公安局沙坡头
 * 分局, 税务局稽查局, 生态环境局…分局: a body's sub-body or branch), or `short`'s word before more
 * than a generic word (公安消防局, 交通运输综合行政执法局, 城市管理综合行政执法局 beside 公安局,
 * 交通运输局, 城市管理局: bodies of their own). A short form drops characters from inside the
 * full word (卫健局, 发改委, 市监局); one that keeps the full word's start whole drops only a
 * generic 管理, 事务 or 服务 (应急局, 退役军人局, 行政审批局). A long name ending as a sub-body or
 * branch does (…分局, …支队, …稽查局, …执法局, …中心, …所, …队) where the short does not is another.
 */
function builtOn(short: string, long: string): boolean {
  if (long.startsWith(short)) return true;
  if (SUB_BODY.test(long) && !SUB_BODY.test(short)) return true;
  const word = short.replace(/委员会$|[局委办厅署院]$/, '');
  if (word.length < 2 || !long.startsWith(word)) return false;
  const added = long.slice(word.length).replace(/委员会$|[局委办厅署院]$/, '');
  return !/^(?:管理|事务|服务)$/.test(added);
}
const SUB_BODY = /(?:分局|分行|分中心|支队|大队|中队|稽查局|执法局|中心|所|队|站)$/;

/**
 * Whether names `a` and `b` may be one body's: the same once 人民政府/政府 are one word, one with
 * higher places the other leaves out, one's body word a short form of the other's in the same
 * place, or a place alone beside its government. Another place's body (淮安市财政局 and
 * 清江浦区财政局) or another kind of body (淮安市人民政府 and 淮安市财政局) is another.
 */
export function mayBeSameBody(a: string, b: string): boolean {
  const x = normal(a);
  const y = normal(b);
  if (x === y || x.endsWith(y) || y.endsWith(x)) return true;
  for (const u of variants(x)) {
    for (const v of variants(y)) {
      const pu = placesOf(u);
      const pv = placesOf(v);
      if (pu.places.length === 0 || pu.places.join('') !== pv.places.join('')) continue;
      if (pu.body === pv.body) return true;
      const government = (body: string) => /^(?:政府|管委会|办事处)$/.test(body);
      if ((pu.body === '' && government(pv.body)) || (pv.body === '' && government(pu.body))) return true;
      if (shortForm(pu.body, pv.body) || shortForm(pv.body, pu.body)) return true;
    }
  }
  return pairBodies(x, y);
}

/** Names whose places differ but whose body words are one's short form (卫健局 and 卫生健康局, no place). */
function pairBodies(x: string, y: string): boolean {
  const px = placesOf(x);
  const py = placesOf(y);
  // A name printing no place beside one printing its place: a short form the writer uses of itself.
  if (px.places.length > 0 && py.places.length > 0) return false;
  return px.body === py.body || shortForm(px.body, py.body) || shortForm(py.body, px.body);
}

/** A place alone (沙坡头区, 中卫市沙坡头区, 平潭综合实验区): the government's way of naming itself, no writer. */
export const barePlace = (name: string) => {
  const { places, body } = placesOf(name);
  return places.length > 0 && body === '';
};

/**
 * Whether `body` may be the government `government`'s own body compiling its report: of the
 * same place (its higher places printed or not, or none printed), and named as the government's
 * office or the body that runs 政务公开 for it (…人民政府办公室, …管委会办公室, 政务服务中心, 政务公开办,
 * 大数据局, 行政审批局, 政府信息中心). A line department (财政局, 教育局, 人防办) writes its own report
 * and compiles no government's: its name under a government's is the misread of a portal's
 * 发布机构 field, and stays refused.
 */
export function governmentsOwnBody(government: string, body: string): boolean {
  const gov = normal(government);
  const place = /^(.*?)(?:政府|管委会)$/.exec(gov)?.[1];
  if (!place) return false;
  const own = placesOf(normal(body));
  const at = own.places.join('');
  const samePlace = at === '' || variants(place).includes(at) || variants(at).includes(place);
  return samePlace && OWN_OFFICE.test(own.body);
}
const OWN_OFFICE = /^(?:政府|管委会)|政务|数据|审批|信息公开|公开办|信息中心/;

/**
 * Whether `left` and `right`, printed beside each other (a space, a line, 暨), are one body's
 * name, not two bodies' (a joint report, or a header over the report's own name). Only the
 * pairings listed here, where the one body's full name is the two together:
 * - a vertically managed system's national head and its local body (NATIONAL_SYSTEMS:
 *   国家税务总局 上海市税务局): the local body's full name is the two run together. Any other
 *   national body over a local one (国家发展和改革委员会 / 中卫市发展和改革委员会) is two bodies:
 *   the local one is not the national one's part, its name carries no national head;
 * - a body and its branch (淮安市生态环境局 淮阴区分局), where the body's system has branches
 *   (HAS_BRANCHES); a place and 分局 alone names no body but the one before it, but under a
 *   body with no branches (财政局 / 沙坡头区分局) it is not that body's;
 * - a party body and a government body of the same place that are one body under two names
 *   (合署办公, 一个机构两块牌子: ONE_BODY_TWO_NAMES, 中共上海市纪律检查委员会 上海市监察委员会,
 *   中共X县委统战部暨县民族宗教事务局). A party committee over its government (中共X区委员会 /
 *   X区人民政府), or a party department over a government department (中共X市委组织部 /
 *   X市人力资源和社会保障局), is two bodies: a masthead, or a joint page, never one name.
 */
export function oneBodyTwoNames(left: string, right: string): boolean {
  // A local body of a national system: its place (上海市, 上海, 中卫) and its system's word.
  const system = NATIONAL_SYSTEMS.find(([head]) => head === left);
  const local = system && new RegExp(`^([\u3400-\u9fff]{2,12}?)(?:${system[1].source})$`).exec(right);
  if (system || nationalHead(left)) return !!local && !/[局委厅办部署院心行所队会司处]/.test(local[1] ?? '');
  const r = placesOf(right);
  if (r.places.length === 0 && !/^[省市区县]/.test(right)) return false;
  if (BRANCH.test(r.body) && r.places.length > 0) {
    const l = placesOf(left);
    return (
      l.places.length > 0 && HAS_BRANCHES.some(([body, branch]) => body.test(l.body) && branch.test(r.body))
    );
  }
  const party = /^(?:中共|中国共产党)(.+)$/.exec(left)?.[1];
  if (!party || /^(?:中共|中国共产党)|党/.test(right)) return false;
  const pp = placesOf(party);
  const p = pp.places;
  if (p.length === 0) return false;
  // The government body's word, after its place or a level alone (县民族宗教事务局 after 中共沭阳县委…).
  const level = /^[省市区县]/.exec(right)?.[0];
  const word = normal(r.places.length === 0 ? right.slice(1) : r.body);
  const partyWord = pp.body.replace(/^委(?!员会)/, '');
  if (!ONE_BODY_TWO_NAMES.some(([a, b]) => a.test(partyWord) && b.test(word))) return false;
  if (r.places.length === 0) return level !== undefined && (p.at(-1) ?? '').endsWith(level);
  const a = p.join('');
  const b = r.places.join('');
  return variants(a).includes(b) || variants(b).includes(a);
}
/** A branch's body word after its place (淮阴区分局, 上海市分行), naming no body but the one before it. */
const BRANCH = /^(?:分局|分行|分院|分所|分中心|分会|支局|支行|支队|大队)$/;

/**
 * Vertically managed systems whose local bodies' full names start with the national head's:
 * 国家税务总局上海市税务局, 国家外汇管理局上海市分局, 中国人民银行上海市分行 (…中心支行 before 2024),
 * 国家金融监督管理总局上海监管局, 中国证券监督管理委员会上海监管局, 国家统计局中卫调查队. Left out:
 * systems whose local bodies are named without the head (海关总署: 上海海关; 中国气象局: 中卫市气象局;
 * 国家烟草专卖局: 中卫市烟草专卖局), whose head over them is a masthead, not part of the name.
 */
const NATIONAL_SYSTEMS: readonly (readonly [string, RegExp])[] = [
  // The national head, and its local bodies' words after their places.
  ['国家税务总局', /税务局|税务分局/],
  ['国家外汇管理局', /分局|中心支局|支局/],
  ['中国人民银行', /分行|中心支行|支行|营业管理部/],
  ['国家金融监督管理总局', /监管局|监管分局/],
  ['中国证券监督管理委员会', /监管局/],
  ['国家统计局', /调查总队|调查队/],
];

/** A national body (国家…, 中国…) naming no place. */
const nationalHead = (name: string) =>
  /^(?:国家|中国)/.test(name) && !/^中国共产党/.test(name) && placesOf(name).places.length === 0;

/**
 * Whether `upper`, over the whole name `lower`, is a masthead over the report's own agency,
 * naming no writer beside it: a national body over its local counterpart (国家发展和改革委员会 /
 * 中卫市发展和改革委员会), or a party body over a government body of the same place (中共中卫市沙坡头区
 * 委员会 / 中卫市沙坡头区人民政府, 中共中卫市委组织部 / 中卫市人力资源和社会保障局): a party body
 * publishes no government-information report, and a national body writes no joint one with a
 * local body of its own system. A national body over another system's local body (国家税务总局 /
 * 上海市财政局) is not let by.
 */
export function masthead(upper: string, lower: string): boolean {
  const l = placesOf(lower);
  if (l.places.length === 0) return false;
  if (nationalHead(upper)) return upper.replace(/^(?:国家|中国)/, '').replace(/总(局|署)$/, '$1') === l.body;
  const party = /^(?:中共|中国共产党)(.+)$/.exec(upper)?.[1];
  if (!party || /^(?:中共|中国共产党)|党/.test(lower)) return false;
  const p = placesOf(party).places.join('');
  const b = l.places.join('');
  return p !== '' && (variants(p).includes(b) || variants(b).includes(p));
}

/**
 * Bodies whose systems have branches under a place's name (淮安市生态环境局淮阴区分局, 中卫市公安局
 * 沙坡头区分局, 淮安市自然资源和规划局淮安区分局, 住房公积金管理中心…分中心). A branch under
 * another body (中卫市财政局 / 沙坡头区分局) is not joined to it.
 */
const HAS_BRANCHES: readonly (readonly [RegExp, RegExp])[] = [
  [/^(?:公安局|生态环境局|市场监督管理局|税务局)$/, /^分局$/],
  [/^(?:自然资源局|自然资源和规划局|规划和自然资源局|自然资源和规划委员会|国土资源局)$/, /^分局$/],
  [/^住房公积金管理中心$/, /^分中心$/],
];

/**
 * A party body and a government body that are one body under two names (合署办公, 一个机构两块牌子),
 * by the party body's word (after its place and 委) and the government body's: the commission for
 * discipline inspection and the supervisory commission; the united front department and the
 * ethnic and religious affairs bureau (or overseas Chinese affairs office); the organisation
 * department and the civil service bureau; the publicity department and the press and
 * publication, copyright or film bureau; the committee's office and the government's office
 * where the two offices are one. No other pairing: a party committee over its government, or a
 * party department over a government department, names two bodies.
 */
const ONE_BODY_TWO_NAMES: readonly (readonly [RegExp, RegExp])[] = [
  [/^(?:纪律检查委员会|纪委)$/, /^(?:监察委员会|监委)$/],
  [/^(?:统战部|统一战线工作部)$/, /^(?:民族宗教事务(?:局|委员会)|宗教事务局|民族宗教局|民宗局|侨务办公室)$/],
  [/^组织部$/, /^公务员局$/],
  [/^宣传部$/, /^(?:新闻出版局|版权局|电影局)$/],
  [/^办公(?:室|厅)$/, /^政府办公(?:室|厅)$/],
];
