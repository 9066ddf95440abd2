import { gql, type Json } from '../api.ts';
import { h, syntheticBadge } from '../dom.ts';
import { t } from '../i18n.ts';
import { href } from '../router.ts';

/** Agencies matching a name, with the years they have reports for: where a missing report can be found. */
const AGENCY_YEARS = `query AgencyYears($filter: AgencyFilter) {
  agencies(filter: $filter, first: 10) {
    ... on QueryAgenciesConnection { edges { node { name synthetic reports { year } } } }
    ... on Error { message }
  }
}`;

/** The agencies a name matches, each with its report years; none if the search fails. */
const agencyYears = (name: string): Promise<{ name: string; synthetic: boolean; years: number[] }[]> =>
  gql(AGENCY_YEARS, { filter: { nameContains: name } }).then(
    (d) =>
      ((d.agencies?.edges ?? []) as Json[]).map((e) => ({
        name: e.node.name as string,
        synthetic: e.node.synthetic as boolean,
        years: (e.node.reports as Json[]).map((r) => r.year as number),
      })),
    () => [],
  );

/** Of an agency's report years, the one nearest to the year asked for (the later of two as near). */
const nearest = (years: number[], year: number | string) =>
  [...years].sort((a, b) => Math.abs(a - Number(year)) - Math.abs(b - Number(year)) || b - a)[0];

/**
 * What the report page says when it has no report to show: for a stored agency, the years it has
 * a report for (never a link back to this page); for a name no agency has, the agencies it
 * matches, each at a year it has a report for.
 */
export async function missingReport(
  agency: string,
  year: number | string,
  nameUnknown: boolean,
): Promise<HTMLElement> {
  const matches = agency ? await agencyYears(agency) : [];
  // A stored agency without a report that year: the years it has one for, never this page again.
  // (A name printed with the places above it finds the agency under its stored name.)
  const self = nameUnknown ? undefined : (matches.find((a) => a.name === agency) ?? matches[0]);
  // A name typed in part or abbreviated finds no report by itself: offer the agencies it matches,
  // each at the year asked for when it has that report, else at its nearest year with one.
  const similar = nameUnknown ? matches.filter((a) => a.years.length) : [];
  const at = (a: { years: number[] }) => (a.years.includes(Number(year)) ? year : nearest(a.years, year));
  return h(
    'div',
    { class: 'state empty' },
    t(nameUnknown ? 'unknownAgency' : 'noReport'),
    self
      ? self.years.length
        ? h(
            'p',
            { class: 'report-years', 'data-report-years': '' },
            t('reportYears'),
            [...self.years]
              .sort((a, b) => a - b)
              .map((y) => h('a', { href: href('report', { agency: self.name, year: y }) }, String(y))),
          )
        : h('p', {}, t('noReportsAtAll'))
      : '',
    similar.length
      ? h(
          'p',
          { class: 'similar' },
          t('didYouMean'),
          similar.map((a) =>
            h(
              'span',
              {},
              h('a', { href: href('report', { agency: a.name, year: at(a) }) }, a.name),
              a.synthetic ? syntheticBadge() : '',
            ),
          ),
        )
      : '',
  );
}
