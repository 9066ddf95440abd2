import './style.css';
import { disposeCharts } from './charts.ts';
import { errorBox, h, loading } from './dom.ts';
import { type Key, setLang, t } from './i18n.ts';
import { onImport, showNewData } from './live.ts';
import { currentRoute, href, update } from './router.ts';
import { auditView } from './views/audit.ts';
import { collectionView } from './views/collection.ts';
import { compareView } from './views/compare.ts';
import { outcomesView } from './views/outcomes.ts';
import { overviewView } from './views/overview.ts';
import { rankingView } from './views/ranking.ts';
import { reportView } from './views/report.ts';

type View = (params: URLSearchParams) => Promise<HTMLElement>;

const VIEWS: Record<string, View> = {
  overview: overviewView,
  compare: compareView,
  ranking: rankingView,
  outcomes: outcomesView,
  audit: auditView,
  report: reportView,
  collection: collectionView,
};

const app = document.getElementById('app') as HTMLElement;
let generation = 0;

function renderChrome(view: string) {
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]'))
    el.textContent = t(el.dataset.i18n as Key);
  document.title = `${t(view as Key)} · ${t('title')}`;
  const nav = document.getElementById('nav') as HTMLElement;
  nav.replaceChildren(
    ...Object.keys(VIEWS).map((name) =>
      h('a', { href: href(name), class: name === view ? 'active' : '', 'data-view': name }, t(name as Key)),
    ),
  );
  const lang = document.getElementById('lang') as HTMLButtonElement;
  lang.textContent = t('switchLang');
  lang.onclick = () => update({ lang: currentRoute().params.get('lang') === 'en' ? null : 'en' });
}

/** A control or figure cell that can be found again in the view drawn anew (its name, or its cell). */
function focusKey(element: Element | null): string | null {
  if (!(element instanceof HTMLElement) || !app.contains(element)) return null;
  const name = element.getAttribute('name');
  if (name) return `[name="${CSS.escape(name)}"]`;
  const cell = element.dataset.cell;
  return cell ? `[data-cell="${CSS.escape(cell)}"]` : null;
}

/** Whether the reader is typing in one of the view's boxes (an agency search). */
const typing = () => {
  const active = document.activeElement;
  return (
    active instanceof HTMLInputElement &&
    app.contains(active) &&
    active.type !== 'number' &&
    active.value !== ''
  );
};

async function render() {
  const { view: name, params } = currentRoute();
  const view = VIEWS[name] ? name : 'overview';
  setLang(params.get('lang') === 'en' ? 'en' : 'zh');
  renderChrome(view);
  const mine = ++generation;
  // The same view drawn again (a control changed, a figure chosen, new data): it stays on screen
  // while the query runs, and the new one keeps the reader's place and focus. Replacing it with
  // "loading" scrolled every page to the top and dropped the focus (a figure tapped at the foot
  // of a report on a phone showed its provenance 2,000 px above).
  // (Also when a render of it is still running: rapid clicks keep the place as one does.)
  const again = app.dataset.view === view && app.dataset.shown === 'true';
  const scroll = again ? window.scrollY : 0;
  const focused = again ? focusKey(document.activeElement) : null;
  app.dataset.view = view;
  app.dataset.state = 'loading';
  if (again) app.setAttribute('aria-busy', 'true');
  else {
    disposeCharts();
    app.dataset.shown = 'false';
    app.replaceChildren(loading());
  }
  try {
    const content = await (VIEWS[view] as View)(params);
    if (mine !== generation) return;
    if (again) disposeCharts();
    app.removeAttribute('aria-busy');
    app.replaceChildren(content);
    app.dataset.shown = 'true';
    if (again) {
      window.scrollTo(0, scroll);
      const target = focused ? app.querySelector<HTMLElement>(focused) : null;
      target?.focus({ preventScroll: true });
    }
    // A view refusing its input keeps its controls, to correct it, above the error.
    app.dataset.state = content.querySelector('.state.error')
      ? 'error'
      : content.querySelector('.state.empty')
        ? 'empty'
        : 'ready';
  } catch (error) {
    if (mine !== generation) return;
    console.error(error);
    app.removeAttribute('aria-busy');
    app.dataset.shown = 'false';
    app.replaceChildren(errorBox(error, render));
    app.dataset.state = 'error';
  }
}

window.addEventListener('hashchange', render);
// An import committed anywhere: say so, and re-run the current view's query, unless the reader
// is typing in it (the search and its suggestions would go): then the note offers the refresh.
onImport(async (imports) => {
  showNewData(imports, typing() ? render : null);
  if (!typing()) await render();
});
void render();
