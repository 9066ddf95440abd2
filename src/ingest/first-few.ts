/** The first `n` of `items`, comma-separated, with "…" when there are more: a message's examples. */
export const firstFew = (items: readonly string[], n = 3): string =>
  `${items.slice(0, n).join(', ')}${items.length > n ? ', …' : ''}`;
