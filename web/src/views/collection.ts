/**
 * Collection runs (`collect` and its workers): each run's progress and, for the chosen run,
 * every link it could not use. While a run is going, the view re-reads it every two seconds
 * (the API never caches runs) and redraws its own cards in place.
 */
import { gql, type Json } from '../api.ts';
import { card, fmt, h, table } from '../dom.ts';
import { codeLabel, currentLang, t, tf } from '../i18n.ts';
import { href } from '../router.ts';

const QUERY = `query CollectionRuns {
  collectionRuns(limit: 10) {
    id status seeds startedBy startedAt finishedAt reportsPerSecond
    counts { pages found done inFlight imported unchanged refused failed disallowed }
    problems(limit: 200) { kind url outcome reason }
  }
}`;

const POLL_MS = 2000;
const going = (run: Json) => run.status === 'RUNNING' || run.status === 'STOPPING';

/** Where a run started: the seed's host and path, shortened, with the full address on hover. */
function seedLabel(seeds: string[]): HTMLElement {
  const first = seeds[0] ?? '';
  let text = first;
  try {
    const url = new URL(first);
    text = `${url.host}${url.pathname}`;
  } catch {}
  if (text.length > 40) text = `${text.slice(0, 39)}…`;
  return h(
    'span',
    { title: seeds.join('\n') },
    seeds.length > 1 ? tf('seedsMore', text, seeds.length - 1) : text,
  );
}

function progress(run: Json): HTMLElement {
  const { done, found } = run.counts;
  const share = found > 0 ? Math.round((done / found) * 100) : going(run) ? 0 : 100;
  return h(
    'span',
    { class: 'progress', title: `${done} / ${found}` },
    h('progress', { max: 100, value: share }),
    ` ${fmt(done)}/${fmt(found)}`,
  );
}

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en') : '—';

function runsCard(runs: Json[], selected: Json): HTMLElement {
  return card(
    t('collectionRuns'),
    h(
      'div',
      { 'data-table': 'runs' },
      table(
        [
          t('run'),
          t('status'),
          t('seed'),
          t('progressCol'),
          t('cImported'),
          t('failedCol'),
          t('rate'),
          t('started'),
        ],
        runs.map((run) => [
          h(
            'a',
            {
              href: href('collection', { run: String(run.id) }),
              class: run.id === selected.id ? 'run-link active' : 'run-link',
            },
            `#${run.id}`,
          ),
          codeLabel('runStatus', run.status),
          seedLabel(run.seeds),
          progress(run),
          fmt(run.counts.imported),
          fmt(run.counts.failed + run.counts.refused),
          run.reportsPerSecond.toFixed(1),
          when(run.startedAt),
        ]),
        3,
      ),
    ),
  );
}

function runCard(run: Json): HTMLElement {
  const c = run.counts;
  const figures: [string, number][] = [
    [t('pagesRead'), c.pages],
    [t('reportLinks'), c.found],
    [t('inFlight'), c.inFlight],
    [t('cImported'), c.imported],
    [t('cUnchanged'), c.unchanged],
    [t('cRefused'), c.refused],
    [t('failedCol'), c.failed],
    [t('cDisallowed'), c.disallowed],
  ];
  const problems = run.problems as Json[];
  return card(
    `${t('run')} #${run.id} · ${codeLabel('runStatus', run.status)}`,
    h(
      'p',
      { class: 'note' },
      `${t('started')} ${when(run.startedAt)} · ${t('finished')} ${when(run.finishedAt)}`,
    ),
    h(
      'dl',
      { class: 'figures', 'data-run': String(run.id) },
      figures.map(([label, n]) => h('div', {}, h('dt', {}, label), h('dd', {}, fmt(n)))),
    ),
    problems.length === 0
      ? h('p', { class: 'note' }, t('noProblems'))
      : h(
          'div',
          { 'data-table': 'problems' },
          table(
            [t('link'), t('outcomeCol'), t('reason')],
            problems.map((p) => [
              h('a', { href: p.url, title: p.url, rel: 'noreferrer', class: 'url' }, p.url),
              codeLabel('collectionOutcome', p.outcome),
              p.reason,
            ]),
            3,
          ),
        ),
  );
}

export async function collectionView(params: URLSearchParams): Promise<HTMLElement> {
  const view = h('div', { class: 'view' });
  const draw = (runs: Json[]) => {
    if (runs.length === 0) {
      view.replaceChildren(h('div', { class: 'state empty' }, t('collectionEmpty')));
      return;
    }
    const selected = runs.find((r) => String(r.id) === params.get('run')) ?? (runs[0] as Json);
    view.replaceChildren(runsCard(runs, selected), runCard(selected));
    view.dataset.going = String(runs.some(going));
  };
  const first = (await gql(QUERY)).collectionRuns as Json[];
  draw(first);
  if (first.some(going)) {
    const timer = setInterval(async () => {
      // The reader went to another view (or another run): this view is gone, stop asking.
      if (!view.isConnected) return clearInterval(timer);
      try {
        const runs = (await gql(QUERY)).collectionRuns as Json[];
        if (!view.isConnected) return clearInterval(timer);
        draw(runs);
        if (!runs.some(going)) clearInterval(timer);
      } catch {
        // A missed poll is retried at the next tick; the last figures stay on screen.
      }
    }, POLL_MS);
  }
  return view;
}
