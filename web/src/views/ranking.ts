import { ApiError, gql, type Json, metricCatalogue, unwrap } from '../api.ts';
import { barList } from '../charts.ts';
import { card, empty, field, figure, fmt, h, select, syntheticBadge, table } from '../dom.ts';
import { codeLabel, pick, t } from '../i18n.ts';
import { href, update } from '../router.ts';
import {
  catchInput,
  controls,
  cutNote,
  DEMO_AGENCIES,
  defaultYear,
  defaultYearNote,
  FLAG,
  errorFindingsFlag as flag,
  holdsDemo,
  intParam,
  LEVELS,
  levelName,
  metricName,
  metricSelect,
  metricYearCounts,
  refused,
  syntheticNote,
} from './common.ts';

/** Entries shown; more tied with the last one are shown too. */
const LIMIT = 100;

const QUERY = `query Ranking($metric: MetricInput!, $year: Int!, $filter: ReportFilter, $order: RankOrder, $demo: AgencyFilter) {
  ranking(metric: $metric, year: $year, filter: $filter, order: $order, limit: ${LIMIT}) {
    ... on Ranking {
      populationSize rankedCount
      overall { value }
      unranked { reason count }
      entries { rank tied errorFindings agency { name synthetic level } value { value numerator denominator } }
    }
    ... on Error { message }
  }
  ${DEMO_AGENCIES}
}`;

export async function rankingView(params: URLSearchParams): Promise<HTMLElement> {
  const metric = params.get('metric') ?? 'DISCLOSURE_RATE';
  const level = params.get('level') ?? '';
  const order = params.get('order') === 'ASC' ? 'ASC' : 'DESC';
  const agency = level ? { levels: [level] } : {};
  const filter = level ? { agency } : {};
  // A level the API refuses (a hand-edited link) is refused under the controls that correct it.
  // The years: those of the agencies ranked (the level filter's).
  const [yearsData, catalogue] = await Promise.all([
    catchInput(metricYearCounts(metric, filter)),
    metricCatalogue(),
  ]);
  const counts = yearsData instanceof ApiError ? [] : yearsData;
  const years = counts.map((c) => c.year);
  // Without a year in the link, the latest year well reported at the level ranked, not the
  // latest with any report: a level's reports may come in later than the nation's.
  const chosen = params.get('year') ? null : defaultYear(counts);
  const year = intParam(params.get('year') ?? String(chosen?.year ?? new Date().getFullYear() - 1));
  // Whether the ranked population holds generated demo agencies (the overall figure pools them).
  const demo = { ...agency, synthetic: true, years: [year] };
  const [data, metricControl] = await Promise.all([
    yearsData instanceof ApiError
      ? yearsData
      : catchInput(
          gql(QUERY, { metric: { metric }, year, filter, order, demo }).then((d) => ({
            ...unwrap(d.ranking),
            synthetic: holdsDemo(d),
          })),
        ),
    metricSelect(metric),
  ]);
  const ranking = data;
  const unit = catalogue.get(metric)?.unit ?? 'COUNT';
  const view = h(
    'div',
    { class: 'view' },
    controls(
      metricControl,
      field(
        'year',
        select(
          years.map((y) => ({ value: String(y), label: String(y) })),
          String(year),
          (v) => update({ year: v }),
          'year',
        ),
      ),
      field(
        'level',
        select(
          [{ value: '', label: t('allLevels') }, ...LEVELS.map((l) => ({ value: l, label: levelName(l) }))],
          level,
          (v) => update({ level: v }),
          'level',
        ),
      ),
      field(
        'order',
        select(
          [
            { value: 'DESC', label: t('desc') },
            { value: 'ASC', label: t('asc') },
          ],
          order,
          (v) => update({ order: v }),
          'order',
        ),
      ),
    ),
  );
  if (ranking instanceof ApiError) return refused(view, ranking);
  const entries = ranking.entries as Json[];
  if (!entries.length) {
    view.append(empty());
    return view;
  }
  const label = metricName(catalogue.get(metric), metric);
  const unrankedCount = (ranking.unranked as Json[]).reduce((n, u) => n + u.count, 0);
  view.append(
    syntheticNote(ranking.synthetic),
    defaultYearNote(chosen),
    h(
      'p',
      { class: 'note', 'data-ranking-note': '' },
      `${label} · ${year} · ${t('population')} ${ranking.rankedCount} / ${ranking.populationSize} · ${t('overall')} ${fmt(ranking.overall.value, unit)}`,
      unrankedCount
        ? ` · ${t('unranked')} ${unrankedCount} (${(ranking.unranked as Json[]).map((u) => `${codeLabel('nullReason', u.reason)} ${u.count}`).join(pick('；', '; '))})`
        : '',
    ),
    // The query asks for the top LIMIT (with ties).
    cutNote(entries.length, ranking.rankedCount, 'rankingCut', 'data-ranking-cut'),
    entries.some((e) => e.errorFindings > 0)
      ? h('p', { class: 'note', 'data-error-findings-note': '' }, `${FLAG} `, t('errorFindingsNote'))
      : '',
    card(
      label,
      barList(
        entries.map((e) => ({ prefix: `${e.rank}. `, name: e.agency.name, value: e.value.value })),
        unit,
        'ranking',
      ),
      h(
        'div',
        { 'data-table': 'ranking' },
        table(
          [t('rank'), t('agency'), t('level'), t('value')],
          entries.map((e) => [
            `${e.rank}${e.tied ? '=' : ''}`,
            h(
              'span',
              {},
              h('a', { href: href('report', { agency: e.agency.name, year }) }, e.agency.name),
              e.agency.synthetic ? syntheticBadge() : '',
              e.errorFindings > 0 ? flag(e.errorFindings) : '',
            ),
            e.agency.level ? levelName(e.agency.level) : '—',
            figure(e.value.value, unit, e.value),
          ]),
          3,
        ),
      ),
    ),
  );
  return view;
}
