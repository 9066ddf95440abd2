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

async function render() {
  const { view: name, params } = currentRoute();
  const view = VIEWS[name] ? name : 'overview';
  setLang(params.get('lang') === 'en' ? 'en' : 'zh');
  renderChrome(view);
  const mine = ++generation;
  disposeCharts();
  app.dataset.view = view;
  app.dataset.state = 'loading';
  app.replaceChildren(loading());
  try {
    const content = await (VIEWS[view] as View)(params);
    if (mine !== generation) return;
    app.replaceChildren(content);
    // A view refusing its input keeps its controls, to correct it, above the error.
    app.dataset.state = content.querySelector('.state.error')
      ? 'error'
      : content.querySelector('.state.empty')
        ? 'empty'
        : 'ready';
  } catch (error) {
    if (mine !== generation) return;
    console.error(error);
    app.replaceChildren(errorBox(error, render));
    app.dataset.state = 'error';
  }
}

window.addEventListener('hashchange', render);
// An import committed anywhere: say so, and re-run the current view's query.
onImport(async (imports) => {
  showNewData(imports);
  await render();
});
void render();
