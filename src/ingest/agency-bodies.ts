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
export function placesOf(name: string): { places: string[]; body: string } {
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
 * body of another kind (财政局 beside 人民政府, 国库支付中心 after 财政局) is another body.
 */
const shortForm = (short: string, long: string) =>
  short.length >= 2 &&
  short.length < long.length &&
  short[0] === long[0] &&
  kind(short) === kind(long) &&
  inOrder(short, long);

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
 * name, not two bodies' (a joint report):
 * - a national system's head and its local body (国家税务总局 上海市税务局, 国家外汇管理局 上海市分局,
 *   中国人民银行 上海市分行): the local body's full name is the two run together, and a joint report
 *   of the head and one of its bureaus is not written;
 * - a body and its branch (淮安市生态环境局 淮阴区分局): a place and 分局 alone names no body but
 *   the one before it;
 * - a party body and a government body of the same place (中共上海市纪律检查委员会 上海市监察委员会,
 *   中共X县委办公室 X县人民政府办公室, 中共X县委统战部暨县民族宗教事务局): one body under two names
 *   (合署办公, 一个机构两块牌子). A party body publishes no government-information report of its own,
 *   only as the government body it also is, so its name beside a same-place government body's is
 *   that body's other name. Two party bodies (…市委办公厅 …市委组织部) are not let by.
 */
export function oneBodyTwoNames(left: string, right: string): boolean {
  const r = placesOf(right);
  if (r.places.length === 0 && !/^[省市区县]/.test(right)) return false;
  // A national head: no place of its own; its local body is of its system or its branch.
  const national = /^(?:国家|中国)(.+)$/.exec(left)?.[1];
  if (national && placesOf(left).places.length === 0) {
    const system = national.replace(/总(局|署)$/, '$1');
    return r.body === system || BRANCH.test(r.body);
  }
  if (BRANCH.test(r.body) && r.places.length > 0) return true;
  const party = /^(?:中共|中国共产党)(.+)$/.exec(left)?.[1];
  if (!party || /^(?:中共|中国共产党)|党|^[\u3400-\u9fff]{0,12}?[省市区县]委(?!员会)/.test(right))
    return false;
  const p = placesOf(party).places;
  if (p.length === 0) return false;
  // The government body's place: its own, or a level alone (县民族宗教事务局 after 中共沭阳县委…).
  const level = /^[省市区县]/.exec(right)?.[0];
  if (r.places.length === 0) return level !== undefined && (p.at(-1) ?? '').endsWith(level);
  const a = p.join('');
  const b = r.places.join('');
  return variants(a).includes(b) || variants(b).includes(a);
}
/** A branch's body word after its place (淮阴区分局, 上海市分行), naming no body but the one before it. */
const BRANCH = /^(?:分局|分行|分院|分所|分中心|分会|支局|支行|支队|大队)$/;
