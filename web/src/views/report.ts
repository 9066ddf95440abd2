import { ApiError, gql, type Json } from '../api.ts';
import { card, empty, fmt, h, syntheticBadge, withUnit } from '../dom.ts';
import { codeLabel, currentLang, type Key, pick, t, tf } from '../i18n.ts';
import { href, update } from '../router.ts';
import { agencySearch, intParam, refused } from './common.ts';
import { missingReport } from './report-missing.ts';

const CELL = 'code value exactValue printedText sourceLine status unit';
const QUERY = `query ReportPage($agency: String!, $year: Int!) {
  report(agencyName: $agency, year: $year) {
    year revisionCount
    agency { name synthetic region { name } reports { year } }
    current {
      number templateVersion sourceSha256 sourceFileName publishedOn title
      table2 { blocks { code labelZh nameEn columns { labelZh nameEn unit signed } rows { labelZh nameEn cells { ${CELL} } } } }
      table3 {
        columns { code labelZh nameEn organisation }
        rows { code ordinal labelZh nameEn outcome group { code ordinal labelZh nameEn } cells { ${CELL} } }
      }
      table4 { proceedings { code labelZh nameEn upheld { ${CELL} } corrected { ${CELL} } other { ${CELL} } pending { ${CELL} } total { ${CELL} } } }
      findings { rule severity messageZh messageEn }
      gaps { cellCode table row column message }
    }
    reconciliation { status holds violated unknown checks(status: UNKNOWN) { unknownReason } }
  }
}`;

const DEFAULT = `query FirstReport { reports(first: 1) { edges { node { year agency { name } } } } }`;
/** An agency's report years, for a link naming the agency without a year. */
const AGENCY_YEARS = `query AgencyYears($name: String!) { agency(name: $name) { reports { year } } }`;

export async function reportView(params: URLSearchParams): Promise<HTMLElement> {
  let agency = params.get('agency') ?? '';
  // A year that is no number ("2O24") is sent as typed, for the API to refuse by name.
  let year = intParam(params.get('year') ?? '');
  if (agency && !year) {
    // The agency's latest report, not the year of the first report stored (another agency's).
    const years = await gql(AGENCY_YEARS, { name: agency }).then(
      (d) => ((d.agency?.reports ?? []) as Json[]).map((r) => r.year as number),
      () => [],
    );
    if (years.length) year = Math.max(...years);
  }
  if (!agency || !year) {
    const first = (await gql(DEFAULT)).reports.edges[0]?.node;
    agency ||= first?.agency.name ?? '';
    year ||= first?.year ?? new Date().getFullYear() - 1;
  }
  const picker = reportPicker(agency, year);
  const view = h('div', { class: 'view' }, picker);
  // A name no stored agency has is refused (argument agencyName), not answered as no report.
  const unknownName = (e: unknown) =>
    e instanceof ApiError && e.kind === 'INPUT' && e.detail === 'agencyName';
  let nameUnknown = false;
  const report = agency
    ? await gql(QUERY, { agency, year }).then(
        (data) => data.report,
        (e) => {
          // Another refused input (a year that is no Int) is shown under the picker.
          if (e instanceof ApiError && e.kind === 'INPUT' && !unknownName(e)) return e;
          if (!unknownName(e)) throw e;
          nameUnknown = true;
          return null;
        },
      )
    : null;
  if (report instanceof ApiError) return refused(view, report);
  if (!report) {
    view.append(await missingReport(agency, year, nameUnknown));
    return view;
  }
  const revision = report.current;
  const selected = params.get('cell');
  const cells = new Map<string, Json>();
  const labels = new Map<string, string>();
  const figure = (cell: Json, label: string, signed = false) => {
    cells.set(cell.code, cell);
    labels.set(cell.code, label);
    // A 本年增/减 column prints its sign: an increase of 2 is +2, as in the report.
    const sign = signed && cell.status === 'REPORTED' && Number(cell.exactValue ?? cell.value) > 0 ? '+' : '';
    const text =
      cell.status === 'REPORTED'
        ? sign + fmt(cell.exactValue ?? cell.value, cell.unit)
        : cell.status === 'NOT_REPORTED'
          ? (cell.printedText ?? '/')
          : '·';
    return h(
      'td',
      {
        class: `num fig${cell.code === selected ? ' selected' : ''}${cell.status !== 'REPORTED' ? ' blank' : ''}`,
        'data-cell': cell.code,
        tabindex: 0,
        title: `${label} · ${t('printedText')} “${cell.printedText ?? ''}” · ${t('sourceLine')} ${cell.sourceLine ?? '—'}`,
        onclick: () => update({ cell: cell.code }),
        onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && update({ cell: cell.code }),
      },
      text,
    );
  };
  const tables = h(
    'div',
    { class: 'report-tables' },
    card(t('table2'), ...(revision.table2.blocks as Json[]).map((b) => table2Block(b, figure))),
    card(t('table3'), table3(revision.table3, figure)),
    card(t('table4'), table4(revision.table4.proceedings, figure)),
  );
  const chosen = selected ? cells.get(selected) : undefined;
  const provenance = card(
    t('provenance'),
    chosen
      ? h(
          'dl',
          { class: 'provenance', 'data-provenance': chosen.code },
          h('dt', {}, t('cellCode')),
          h('dd', { title: chosen.code }, labels.get(chosen.code) ?? ''),
          h('dt', {}, t('printedText')),
          h('dd', { 'data-field': 'printedText' }, chosen.printedText ?? '—'),
          h('dt', {}, t('status')),
          h('dd', {}, codeLabel('cellStatus', chosen.status)),
          h('dt', {}, t('sourceLine')),
          h('dd', { 'data-field': 'sourceLine' }, chosen.sourceLine ?? '—'),
          h('dt', {}, t('revision')),
          h('dd', { 'data-field': 'revision' }, `${revision.number} / ${report.revisionCount}`),
          h('dt', {}, t('sourceSha256')),
          h('dd', { 'data-field': 'sha256' }, h('code', { class: 'sha' }, revision.sourceSha256)),
        )
      : h('p', { class: 'note' }, t('provenanceHint')),
  );
  const findings = revision.findings as Json[];
  view.append(
    h(
      'header',
      { class: 'report-head' },
      h(
        'h1',
        {},
        report.agency.name,
        ' · ',
        String(report.year),
        report.agency.synthetic ? syntheticBadge() : '',
      ),
      report.agency.synthetic ? h('p', { class: 'note synthetic-note' }, t('syntheticNote')) : '',
      h(
        'p',
        { class: 'meta' },
        `${t('template')} ${revision.templateVersion} · ${t('revision')} ${revision.number}/${report.revisionCount}`,
        revision.publishedOn ? ` · ${t('publishedOn')} ${revision.publishedOn}` : '',
        revision.sourceFileName ? ` · ${t('fileName')} ${revision.sourceFileName}` : '',
        ` · ${t('sourceSha256')} `,
        h('code', { class: 'sha' }, revision.sourceSha256),
      ),
      h(
        'p',
        { class: 'years' },
        (report.agency.reports as Json[])
          .map((r) => r.year as number)
          .sort()
          .map((y) =>
            h(
              'a',
              {
                href: href('report', { agency: report.agency.name, year: y }),
                class: y === report.year ? 'active' : '',
              },
              String(y),
            ),
          ),
      ),
    ),
    h(
      'div',
      { class: 'report-layout' },
      tables,
      h(
        'aside',
        {},
        provenance,
        card(
          t('figuresOfReport'),
          findings.length
            ? h(
                'ul',
                { class: 'findings' },
                findings.map((f) =>
                  h(
                    'li',
                    { class: `sev-${f.severity}` },
                    h('strong', { 'data-rule': f.rule }, codeLabel('severity', f.severity)),
                    ' ',
                    pick(f.messageZh, f.messageEn),
                  ),
                ),
              )
            : '',
          reconciliationNote(
            report.reconciliation,
            revision.gaps,
            findings.length,
            labels,
            englishNames(revision),
          ),
        ),
      ),
    ),
  );
  return view;
}

const TABLES: Record<string, string> = { T2: 'table2', T3: 'table3', T4: 'table4' };

/** A label as printed and as the catalogue writes it compare alike: 行政诉讼 复议后起诉 is 行政诉讼·复议后起诉. */
const comparable = (label: unknown) => String(label ?? '').replace(/[\s·・、()（）]/g, '');

/**
 * A printed label's English name: the label's own, else that of its last words (行政诉讼
 * 复议后起诉 is printed under its header, 行政诉讼); the printed label where there is none.
 */
const englishName = (english: ReadonlyMap<string, string>, label: unknown) => {
  const words = String(label ?? '').split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const name = english.get(comparable(words.slice(i).join('')));
    if (name) return name;
  }
  return label;
};

/** The English name of every row, column, block and proceeding of the revision's tables, by its Chinese label. */
function englishNames(revision: Json): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const { labelZh, nameEn } = node as Json;
      if (typeof labelZh === 'string' && typeof nameEn === 'string') names.set(comparable(labelZh), nameEn);
      Object.values(node).forEach(walk);
    }
  };
  walk([revision.table2, revision.table3, revision.table4]);
  return names;
}

/**
 * Whether the report's identities hold: "all hold" only when every one could be checked and holds
 * (status HOLDS); otherwise how many could not be checked, why, and the source's gaps (cells
 * missing or unreadable), each located by its table, row and column.
 */
function reconciliationNote(
  reconciliation: Json,
  gaps: Json[],
  findingCount: number,
  /** The tables' label of each cell shown, in the page's language. */
  labels: ReadonlyMap<string, string>,
  /** The tables' rows and columns by their Chinese label: their English names. */
  english: ReadonlyMap<string, string>,
): HTMLElement {
  const { status, holds, violated, unknown } = reconciliation;
  if (status === 'HOLDS' && !findingCount && !gaps.length)
    return h('p', { class: 'note', 'data-reconciliation': status }, t('noFindings'));
  const reasons = new Map<string, number>();
  for (const check of reconciliation.checks as Json[])
    reasons.set(check.unknownReason, (reasons.get(check.unknownReason) ?? 0) + 1);
  const why = [
    reasons.get('NOT_PRINTED') ? tf('unknownNotPrinted', reasons.get('NOT_PRINTED') as number) : '',
    reasons.get('NO_PREVIOUS_YEAR')
      ? tf('unknownNoPreviousYear', reasons.get('NO_PREVIOUS_YEAR') as number)
      : '',
  ].filter(Boolean);
  return h(
    'div',
    { class: 'note reconciliation', 'data-reconciliation': status },
    h('p', {}, tf('reconciliationSummary', holds + violated + unknown, holds, violated, unknown)),
    why.length
      ? h(
          'ul',
          { 'data-unknown': '' },
          why.map((w) => h('li', {}, w)),
        )
      : '',
    gaps.length
      ? h(
          'div',
          { 'data-gaps': '' },
          h('p', {}, t('gapsHead')),
          h(
            'ul',
            {},
            gaps.map((g) =>
              h(
                'li',
                {},
                // The row and column as the source printed them, Chinese; in English, the cell's
                // label in the tables above where the gap names a cell.
                [
                  TABLES[g.table] ? t(TABLES[g.table] as Key) : g.table,
                  ...(currentLang() !== 'en'
                    ? [g.row, g.column]
                    : labels.has(g.cellCode)
                      ? [labels.get(g.cellCode)]
                      : [g.row, g.column].map((name) => englishName(english, name))),
                ]
                  .filter(Boolean)
                  .join(' · ') || g.cellCode,
                // The server's message is English: shown as it is in the English view, folded away
                // under "details" in the Chinese one (as errors are).
                currentLang() === 'en'
                  ? ` — ${g.message}`
                  : h('details', {}, h('summary', {}, t('details')), h('pre', {}, g.message)),
              ),
            ),
          ),
        )
      : '',
  );
}

function reportPicker(agency: string, year: number | string): HTMLElement {
  const yearInput = h('input', {
    type: 'number',
    name: 'year',
    value: year,
    min: 2000,
    max: 2100,
    style: 'width:6em',
  });
  const open = (name: string) => update({ agency: name, year: yearInput.value, cell: null });
  const search = agencySearch({
    name: 'agency',
    value: agency,
    onPick: (a) => open(a.name),
    onEnter: (text, hits) => open(hits.find((a) => a.name === text)?.name ?? hits[0]?.name ?? text),
  });
  const name = search.querySelector('input') as HTMLInputElement;
  return h(
    'form',
    {
      class: 'controls',
      onsubmit: (e: Event) => {
        e.preventDefault();
        open(name.value.trim());
      },
    },
    h('div', { class: 'field agency-field' }, h('span', {}, t('agencyName')), search),
    h('label', { class: 'field' }, h('span', {}, t('year')), yearInput),
    h('button', { type: 'submit' }, t('show')),
  );
}

/** A figure's cell, and its row and column in words for the provenance panel. */
type Figure = (cell: Json, label: string, signed?: boolean) => HTMLElement;

function table2Block(block: Json, figure: Figure): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'template t2' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { colspan: 1 + block.columns.length, class: 'block' }, pick(block.labelZh, block.nameEn)),
        ),
        h(
          'tr',
          {},
          h('th', {}, pick('信息内容', 'Item')),
          (block.columns as Json[]).map((c) => h('th', {}, withUnit(pick(c.labelZh, c.nameEn), c.unit))),
        ),
      ),
      h(
        'tbody',
        {},
        (block.rows as Json[]).map((r) =>
          h(
            'tr',
            {},
            h('th', { class: 'rowhead' }, pick(r.labelZh, r.nameEn)),
            (r.cells as Json[]).map((cell, i) =>
              figure(
                cell,
                `${pick(r.labelZh, r.nameEn)} · ${pick(block.columns[i]?.labelZh ?? '', block.columns[i]?.nameEn ?? '')}`,
                block.columns[i]?.signed === true,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

const CHINESE_NUMERALS = '一二三四五六七八九十';
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

/**
 * A table-3 row's printed ordinal as its label's prefix: 一、（一）1. in Chinese; in English the
 * same three levels as I. (1) 1., not Chinese numerals before English words.
 */
function numbered(ordinal: string): string {
  if (/^\d+$/.test(ordinal)) return pick(`${ordinal}.`, `${ordinal}. `);
  const group = /^（(.)）$/.exec(ordinal);
  const numeral = CHINESE_NUMERALS.indexOf(group ? (group[1] as string) : ordinal) + 1;
  if (numeral === 0) return ordinal;
  return group ? pick(ordinal, `(${numeral}) `) : pick(`${ordinal}、`, `${ROMAN[numeral - 1]}. `);
}

function table3(t3: Json, figure: Figure): HTMLElement {
  const columns = t3.columns as Json[];
  const applicants = columns.filter((c) => c.code !== 'TOTAL');
  const organisations = applicants.filter((c) => c.organisation);
  const person = applicants.find((c) => !c.organisation);
  const rows = t3.rows as Json[];
  const outcomeRows = rows.filter((r) => r.outcome);
  const body = rows.map((row) => {
    const tr = h('tr', { 'data-row': row.code });
    if (!row.outcome) {
      tr.append(
        h('th', { colspan: 3, class: 'rowhead' }, `${numbered(row.ordinal)}${pick(row.labelZh, row.nameEn)}`),
      );
    } else {
      if (row === outcomeRows[0])
        tr.append(h('th', { rowspan: outcomeRows.length, class: 'rowhead vertical' }, t('outcomeGroup')));
      if (row.group) {
        const members = outcomeRows.filter((r) => r.group?.code === row.group.code);
        if (row === members[0])
          tr.append(
            h(
              'th',
              { rowspan: members.length, class: 'rowhead' },
              `${numbered(row.group.ordinal)}${pick(row.group.labelZh, row.group.nameEn)}`,
            ),
          );
        tr.append(
          h('th', { class: 'rowhead sub' }, `${numbered(row.ordinal)}${pick(row.labelZh, row.nameEn)}`),
        );
      } else {
        tr.append(
          h(
            'th',
            { colspan: 2, class: 'rowhead' },
            `${numbered(row.ordinal)}${pick(row.labelZh, row.nameEn)}`,
          ),
        );
      }
    }
    tr.append(
      ...(row.cells as Json[]).map((cell, i) =>
        figure(
          cell,
          `${pick(row.labelZh, row.nameEn)} · ${pick(columns[i]?.labelZh ?? '', columns[i]?.nameEn ?? '')}`,
        ),
      ),
    );
    return tr;
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'template t3' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h(
            'th',
            { colspan: 3, rowspan: 3, class: 'note-cell' },
            pick(
              '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
              '(1 + 2 = 3 + 4 in every column)',
            ),
          ),
          h('th', { colspan: applicants.length }, t('applicantSituation')),
          h('th', { rowspan: 3 }, t('total')),
        ),
        h(
          'tr',
          {},
          h('th', { rowspan: 2 }, person ? pick(person.labelZh, person.nameEn) : ''),
          h('th', { colspan: organisations.length }, t('legalPersons')),
        ),
        h(
          'tr',
          {},
          organisations.map((c) => h('th', {}, pick(c.labelZh, c.nameEn))),
        ),
      ),
      h('tbody', {}, body),
    ),
  );
}

function table4(proceedings: Json[], figure: Figure): HTMLElement {
  const results = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
  const names = [t('upheld'), t('corrected'), t('otherResult'), t('pending'), t('total')];
  const review = proceedings.find((p) => p.code === 'REVIEW') ?? proceedings[0];
  const lawsuits = proceedings.filter((p) => p !== review);
  if (!review) return empty();
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'template t4' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { colspan: 5 }, t('reviewLabel')),
          h('th', { colspan: 5 * lawsuits.length }, t('litigationLabel')),
        ),
        h(
          'tr',
          {},
          names.map((n) => h('th', { rowspan: 2 }, n)),
          lawsuits.map((p) => h('th', { colspan: 5 }, pick(p.labelZh.replace(/^行政诉讼·?/, ''), p.nameEn))),
        ),
        h(
          'tr',
          {},
          lawsuits.flatMap(() => names.map((n) => h('th', {}, n))),
        ),
      ),
      h(
        'tbody',
        {},
        h(
          'tr',
          {},
          [review, ...lawsuits].flatMap((p) =>
            results.map((r, i) => figure(p[r], `${pick(p.labelZh, p.nameEn)} · ${names[i]}`)),
          ),
        ),
      ),
    ),
  );
}
