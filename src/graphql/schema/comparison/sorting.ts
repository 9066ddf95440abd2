/** The sort direction and tie policy every sorted comparison (ranking, compare, change) takes. */
import { builder } from '../../builder.ts';

export const RankOrderEnum = builder.enumType('RankOrder', {
  description: 'Ranking direction.',
  values: {
    DESC: { description: 'Highest value first (top).' },
    ASC: { description: 'Lowest value first (bottom).' },
  } as const,
});

export const TiePolicyEnum = builder.enumType('TiePolicy', {
  description: 'What a `limit` does to entries whose sort value equals that of the last entry inside it.',
  values: {
    INCLUDE: {
      description:
        'Keep every entry tied with the last one inside the limit, so `limit: 5` can return more than 5. A page at an `offset` (compare) leaves out the entries tied with the last one before it, which the page before showed: pages at offset 0, limit, 2 × limit … neither repeat nor skip an entry. A page can hold fewer than `limit` entries, or none when a tie group runs past it, so an empty page is not the end: page on while `offset` is below `rowCount` (`agencyCount` with `sort.year`, where `offset` counts agencies).',
    },
    CUT: {
      description:
        'Return exactly `limit` entries; equal values are ordered by agency name (Unicode code-point order), then agency id (then year, for rows).',
    },
  } as const,
});
