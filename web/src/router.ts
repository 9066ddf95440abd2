/** The whole UI state lives in the URL hash: #/view?key=value&…, so every screen is a shareable link. */
export interface Route {
  view: string;
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view = '', query = ''] = hash.split('?');
  return { view: view || 'overview', params: new URLSearchParams(query) };
}

export function href(view: string, params: Record<string, string | number | null | undefined> = {}): string {
  const search = new URLSearchParams();
  const lang = currentRoute().params.get('lang');
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  if (lang && !search.has('lang')) search.set('lang', lang);
  const query = search.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** Changes one or more parameters of the current view (a new history entry, so Back works). */
export function update(changes: Record<string, string | number | null | undefined>) {
  const { view, params } = currentRoute();
  const merged: Record<string, string | null | undefined> = Object.fromEntries(params);
  for (const [key, value] of Object.entries(changes))
    merged[key] = value === undefined ? null : String(value ?? '');
  location.hash = href(view, merged);
}
