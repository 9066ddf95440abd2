/**
 * Live updates: the server announces every committed import over server-sent events (the
 * importCommitted subscription, GET /graphql). The browser's EventSource reconnects by itself
 * when the server restarts.
 */
import { t, tf } from './i18n.ts';

export interface ImportEvent {
  agency: { id: string; name: string };
  year: number;
  revisionNumber: number;
  outcome: 'CREATED' | 'NEW_REVISION' | 'RESTORED';
  dataVersion: string;
}

type Handler = (imports: ImportEvent[]) => void | Promise<void>;

const SUBSCRIPTION =
  'subscription DashboardLive { importCommitted { agency { id name } year revisionNumber outcome dataVersion } }';

const handlers = new Set<Handler>();
let source: EventSource | null = null;
let queued: ImportEvent[] = [];
let delivering = false;

/**
 * Hands queued announcements to the handlers, one call at a time: a bulk import announces
 * hundreds of reports, and the view re-runs its query once for all that arrived meanwhile.
 */
async function deliver() {
  if (delivering) return;
  delivering = true;
  while (queued.length > 0) {
    const imports = queued;
    queued = [];
    for (const handler of handlers) {
      try {
        await handler(imports);
      } catch (error) {
        console.error(error);
      }
    }
  }
  delivering = false;
}

function connect() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(`/graphql?${new URLSearchParams({ query: SUBSCRIPTION })}`);
  source.addEventListener('next', (event) => {
    const announced = JSON.parse((event as MessageEvent<string>).data)?.data?.importCommitted as
      | ImportEvent
      | undefined;
    if (!announced) return;
    queued.push(announced);
    void deliver();
  });
}

/** Calls `handler` with the imports announced since its last call; returns the way to stop. */
export function onImport(handler: Handler): () => void {
  handlers.add(handler);
  connect();
  return () => {
    handlers.delete(handler);
    if (handlers.size > 0) return;
    source?.close();
    source = null;
  };
}

/** A "new data" note in the header naming the latest import; it goes when the reader navigates. */
export function showNewData(imports: ImportEvent[], refresh: (() => void) | null = null) {
  const latest = imports.at(-1);
  const header = document.querySelector('header.top');
  if (!latest || !header) return;
  let note = document.getElementById('live-new');
  if (!note) {
    note = document.createElement('span');
    note.id = 'live-new';
    note.className = 'live-new';
    note.setAttribute('role', 'status');
    header.insertBefore(note, document.getElementById('lang'));
    window.addEventListener('hashchange', () => {
      if (note) note.hidden = true;
    });
  }
  const more = imports.length > 1 ? tf('newDataMore', imports.length - 1) : '';
  note.textContent = `${t('newData')} · ${latest.agency.name} ${latest.year}${more}`;
  note.dataset.version = latest.dataVersion;
  note.hidden = false;
  // The view was not drawn again (the reader is typing): a click on the note does it.
  if (refresh) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.refresh = '';
    button.textContent = t('refresh');
    button.onclick = () => {
      button.remove();
      refresh();
    };
    note.append(' ', button);
  }
}
