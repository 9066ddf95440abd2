import { ApiError, gql, type Json, unwrap } from '../api.ts';
import { barList } from '../charts.ts';
import { card, empty, field, fmt, h, select, syntheticBadge, table } from '../dom.ts';
import { codeLabel, pick, t } from '../i18n.ts';
import { shorten } from '../labels.ts';
import { href, update } from '../router.ts';
import {
  catchInput,
  controls,
  cutNote,
  DEMO_AGENCIES,
  holdsDemo,
  intParam,
  LEVELS,
  levelName,
  refused,
  regionSelect,
  syntheticNote,
} from './common.ts';

/** The rules, and the years with reports for the year control. */
const RULES = `query FindingRules {
  findingRules { rule severity explanationZh explanationEn }
  years: rollup(groupBy: [YEAR], metrics: [{ metric: T3_NEW_REQUESTS }]) { ... on Rollup { groups { key { year } } } }
}`;

/** The filters of the view, each shown by a control that can clear it. */
const FILTERS = ['region', 'rule', 'year', 'demo'] as const;

/**
 * The `demo` filter: `hide` counts published agencies only, `only` generated demo agencies only
 * (FindingFilter.synthetic false and true). Any other value goes to the API as it is, which
 * refuses it by name, as a wrong region or year is.
 */
const DEMO_CHOICES: Record<string, boolean> = { hide: false, only: true };
const syntheticOf = (demo: string): boolean | string | null =>
  demo === '' ? null : (DEMO_CHOICES[demo] ?? demo);

const QUERY = `query Audit($filter: FindingFilter, $level: AdministrativeLevel, $demo: AgencyFilter) {
  byRegion: findingCountsByRegion(filter: $filter, groupBy: $level) {
    ... on FindingCountsByRegionSuccess {
      counts { regionCode regionName year reports reportsWithFindings findings errors warnings }
    }
    ... on InvalidInputError { message }
  }
  list: findings(filter: $filter, first: 100) {
    ... on QueryFindingsConnection {
      totalCount
      edges { node { id year rule severity messageZh messageEn scopeLabelZh agency { name synthetic } } }
    }
    ... on InvalidInputError { message }
  }
  ${DEMO_AGENCIES}
}`;

/** Each rule's findings of one severity: one alias a rule (the server allows 20 aliases a query). */
const COUNTS = (rules: string[]) =>
  `query AuditCounts($region: String, $years: [Int!], $severity: FindingSeverity, $synthetic: Boolean) {
  ${rules.map((rule) => `${rule}: findings(filter: { rules: [${rule}], severity: $severity, regionCode: $region, years: $years, synthetic: $synthetic }) { ... on QueryFindingsConnection { totalCount } }`).join('\n  ')}
}`;

/**
 * A rule's findings are not all of its own severity (an identity that could not be checked is an
 * INFO finding of an ERROR rule): each rule's findings are counted per severity.
 */
const SEVERITIES = ['ERROR', 'WARNING', 'INFO'] as const;

const SEVERITY_COLOURS: Record<string, string> = { ERROR: '#c23531', WARNING: '#ca8622', INFO: '#61a0a8' };

/** A rule is named by what it checks (the API's explanation), never by its id. */
const ruleLabel = (r: Json) => pick(r.explanationZh, r.explanationEn) as string;

export async function auditView(params: URLSearchParams): Promise<HTMLElement> {
  const region = params.get('region') ?? '';
  const rule = params.get('rule') ?? '';
  const level = params.get('level') ?? 'PROVINCE';
  const year = params.get('year') ?? '';
  const demoChoice = params.get('demo') ?? '';
  const synthetic = syntheticOf(demoChoice);
  const [rulesData, regionControl] = await Promise.all([gql(RULES), regionSelect(region)]);
  const rules = rulesData.findingRules as Json[];
  const years = ((rulesData.years?.groups ?? []) as Json[])
    .map((g) => g.key.year as number | null)
    .filter((y): y is number => y !== null);
  const filter = {
    ...(region ? { regionCode: region } : {}),
    ...(rule ? { rules: [rule] } : {}),
    ...(year ? { years: [intParam(year)] } : {}),
    ...(synthetic !== null ? { synthetic } : {}),
  };
  const counted = { region: region || null, years: year ? [intParam(year)] : null, synthetic };
  // Whether the findings counted include generated demo agencies' reports.
  const demo = {
    synthetic: true,
    ...(region ? { regionCode: region } : {}),
    ...(year ? { years: [intParam(year)] } : {}),
  };
  const data = await catchInput(
    Promise.all([
      gql(QUERY, { filter, level, demo }).then((d) => {
        // A refusal (a region that is no code) is answered as data: made an error here.
        unwrap(d.byRegion);
        // With demo agencies left out, none of theirs is counted, whatever there is.
        return { ...d, synthetic: synthetic !== false && holdsDemo(d) };
      }),
      ...SEVERITIES.map((severity) => gql(COUNTS(rules.map((r) => r.rule)), { ...counted, severity })),
    ]),
  );
  const view = h(
    'div',
    { class: 'view' },
    controls(
      regionControl,
      field(
        'rule',
        select(
          [
            { value: '', label: t('allRules') },
            ...rules.map((r) => ({ value: r.rule, label: shorten(ruleLabel(r), 28) })),
          ],
          rule,
          (v) => update({ rule: v }),
          'rule',
        ),
      ),
      // The year is a filter as the region and the rule are (a drill-down sets it): shown, and
      // cleared by 全部年度.
      field(
        'year',
        select(
          [
            { value: '', label: t('allYears') },
            ...years.map((y) => ({ value: String(y), label: String(y) })),
          ],
          year,
          (v) => update({ year: v }),
          'year',
        ),
      ),
      field(
        'level',
        select(
          LEVELS.map((l) => ({ value: l, label: levelName(l) })),
          level,
          (v) => update({ level: v }),
          'level',
        ),
      ),
      field(
        'demoData',
        select(
          [
            { value: '', label: t('demoIncluded') },
            { value: 'hide', label: t('demoHidden') },
            { value: 'only', label: t('demoOnly') },
          ],
          demoChoice,
          (v) => update({ demo: v }),
          'demo',
        ),
      ),
      FILTERS.some((f) => params.get(f))
        ? h(
            'button',
            {
              type: 'button',
              class: 'filters-active',
              'data-clear-filters': '',
              onclick: () => update(Object.fromEntries(FILTERS.map((f) => [f, null]))),
            },
            t('clearFilters'),
          )
        : '',
    ),
  );
  if (data instanceof ApiError) return refused(view, data);
  const [found, ...perSeverity] = data;
  const counts = rules.map((r) => {
    const bySeverity = Object.fromEntries(
      SEVERITIES.map((s, i) => [s, unwrap(perSeverity[i][r.rule]).totalCount as number]),
    ) as Record<string, number>;
    // The bar: findings of the rule's own severity, in its colour.
    return { ...r, bySeverity, count: bySeverity[r.severity] ?? 0 };
  });
  const byRegion = (unwrap(found.byRegion).counts as Json[]).filter((r) => r.findings > 0 || r.reports > 0);
  view.append(
    syntheticNote(found.synthetic),
    h(
      'div',
      { class: 'grid' },
      card(
        t('findingsByRule'),
        barList(
          counts.map((c) => ({ name: ruleLabel(c), value: c.count, colour: SEVERITY_COLOURS[c.severity] })),
          'COUNT',
          'rules',
        ),
        h(
          'div',
          { 'data-table': 'rules' },
          table(
            [t('rule'), t('ruleSeverity'), ...SEVERITIES.map((s) => codeLabel('severity', s))],
            counts.map((c) => [
              h(
                'a',
                {
                  href: href('audit', { region, level, rule: c.rule, year, demo: demoChoice }),
                  'data-rule': c.rule,
                },
                ruleLabel(c),
              ),
              codeLabel('severity', c.severity),
              ...SEVERITIES.map((s) => fmt(c.bySeverity[s])),
            ]),
            2,
          ),
        ),
      ),
      card(
        t('findingsByRegion'),
        byRegion.length
          ? h(
              'div',
              { 'data-table': 'regions' },
              table(
                [
                  t('region'),
                  t('year'),
                  t('reports'),
                  t('reportsWithFindings'),
                  t('errors'),
                  t('warnings'),
                  t('findings'),
                ],
                byRegion.map((r) => [
                  r.regionCode
                    ? h(
                        'a',
                        {
                          href: href('audit', {
                            region: r.regionCode,
                            level,
                            rule,
                            year: r.year,
                            demo: demoChoice,
                          }),
                        },
                        r.regionName ?? r.regionCode,
                      )
                    : t('unknownRegion'),
                  r.year,
                  fmt(r.reports),
                  fmt(r.reportsWithFindings),
                  fmt(r.errors),
                  fmt(r.warnings),
                  fmt(r.findings),
                ]),
                2,
              ),
            )
          : empty(),
      ),
    ),
  );
  const listed = unwrap(found.list);
  const list = listed.edges.map((e: Json) => e.node) as Json[];
  view.append(
    card(
      `${t('findingList')} · ${listed.totalCount}`,
      list.length
        ? h(
            'div',
            { 'data-table': 'findings' },
            table(
              [t('agency'), t('year'), t('severity'), t('message')],
              list.map((f) => [
                h(
                  'span',
                  {},
                  h(
                    'a',
                    { href: href('report', { agency: f.agency.name, year: f.year }), 'data-finding': f.rule },
                    f.agency.name,
                  ),
                  f.agency.synthetic ? syntheticBadge() : '',
                ),
                f.year,
                codeLabel('severity', f.severity),
                pick(f.messageZh, f.messageEn),
              ]),
              4,
            ),
            cutNote(list.length, listed.totalCount, 'findingsCut', 'data-findings-cut'),
          )
        : empty(),
    ),
  );
  return view;
}
