/**
 * Live dashboards: committed imports are announced to `importCommitted` subscribers. Without
 * REDIS_URL an in-process pubsub carries what this process committed; with it, every
 * announcement goes through Redis pub/sub, so a subscriber of any instance hears imports of
 * every instance and of a CLI running beside them.
 */
import { createPubSub, type PubSubEventTarget, Repeater, SlidingBuffer } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { type CommittedImport, type ImportAnnouncement, onCommitted } from '../import/index.ts';
import { dataVersion } from '../store/data-version.ts';
import type { Db } from '../store/db.ts';

/** The routing key; the database's identity follows it, so one Redis can serve several databases. */
const TOPIC = 'gdr-imports';
/** Announcements a slow subscriber may fall behind by; older ones are dropped, it refreshes anyway. */
const SUBSCRIBER_BUFFER = 256;

type Topics = { [TOPIC]: [database: string, announcement: ImportAnnouncement] };

export interface LiveImports {
  /** Announces committed imports (an `onCommitted` listener); never throws. */
  announce: (imports: CommittedImport[]) => Promise<void>;
  /** Announcements from now on, until the subscriber leaves or the server stops. */
  subscribe: () => Promise<AsyncIterable<ImportAnnouncement>>;
  /** Subscriptions open on this instance. */
  readonly subscribers: number;
  /** Completes every open subscription, so a stopping server is not held by its event streams. */
  endSubscriptions: () => void;
  close: () => Promise<void>;
}

/**
 * A Redis event target for yoga's pubsub (what @graphql-yoga/redis-event-target does): events
 * are published as JSON on a channel named after their topic, on its own connection, because a
 * connection that subscribes can do nothing else. Both connections open on first use.
 */
function redisEventTarget(redisUrl: string, onError: (error: unknown) => void) {
  let publisher: Redis | null = null;
  let subscriber: Redis | null = null;
  const callbacks = new Map<string, Set<(event: CustomEvent) => void>>();
  const publishing = new Set<Promise<unknown>>();
  // Said once an outage, not at each attempt to reconnect nor for each event it could not send
  // (a line a second while Redis was away).
  let down = false;
  const failed = (error: unknown) => {
    if (!down) onError(error);
    down = true;
  };
  const connect = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    redis.on('error', failed);
    redis.on('ready', () => {
      down = false;
    });
    return redis;
  };
  const subscribed = () => {
    if (subscriber) return subscriber;
    subscriber = connect();
    subscriber.on('message', (channel: string, message: string) => {
      let detail: unknown;
      try {
        detail = JSON.parse(message);
      } catch (error) {
        return onError(error);
      }
      for (const callback of callbacks.get(channel) ?? []) callback(new CustomEvent(channel, { detail }));
    });
    return subscriber;
  };
  const listenerOf = (listener: EventListenerOrEventListenerObject | null) =>
    listener && ('handleEvent' in listener ? listener.handleEvent.bind(listener) : listener);
  const target = {
    addEventListener(topic: string, listener: EventListenerOrEventListenerObject | null) {
      const callback = listenerOf(listener);
      if (!callback) return;
      const set = callbacks.get(topic) ?? new Set();
      if (set.size === 0) subscribed().subscribe(topic).catch(failed);
      callbacks.set(topic, set.add(callback as (event: CustomEvent) => void));
    },
    removeEventListener(topic: string, listener: EventListenerOrEventListenerObject | null) {
      const set = callbacks.get(topic);
      const callback = listenerOf(listener);
      if (!set || !callback) return;
      set.delete(callback as (event: CustomEvent) => void);
      if (set.size > 0) return;
      callbacks.delete(topic);
      subscriber?.unsubscribe(topic).catch(failed);
    },
    dispatchEvent(event: CustomEvent) {
      publisher ??= connect();
      const sent = publisher.publish(event.type, JSON.stringify(event.detail)).then(() => {
        down = false;
      }, failed);
      publishing.add(sent);
      void sent.finally(() => publishing.delete(sent));
      return true;
    },
  };
  return {
    target: target as unknown as PubSubEventTarget<Topics>,
    /** Resolves once every publish so far has reached Redis (or failed and been reported). */
    flush: async () => void (await Promise.allSettled([...publishing])),
    close: async () => {
      await Promise.allSettled([publisher?.quit(), subscriber?.quit()]);
    },
  };
}

/**
 * The announcements of imports into `db`: in this process, or through Redis when `redisUrl`
 * is set. A CLI beside a server uses it to announce only; its subscribing connection never opens.
 */
export function createLiveImports(
  db: Db,
  redisUrl: string | null,
  onError: (error: unknown) => void = () => {},
): LiveImports {
  const redis = redisUrl ? redisEventTarget(redisUrl, onError) : null;
  const pubSub = createPubSub<Topics>(redis ? { eventTarget: redis.target } : {});
  const open = new Set<() => void>();
  // "<system identifier>/<database>": the data version without its transaction id.
  let database: Promise<string> | null = null;
  const databaseOf = (version: string) => version.slice(0, version.lastIndexOf('/'));
  const identity = () => {
    database ??= dataVersion(db).then(databaseOf);
    database.catch(() => {
      database = null;
    });
    return database;
  };

  return {
    async announce(imports) {
      // Nobody can hear it: in-process with no subscriber, skip the data version query.
      if (imports.length === 0 || (!redis && open.size === 0)) return;
      try {
        // Read after the commit: a query keyed on this version or a later one sees the import.
        const version = await dataVersion(db);
        for (const imported of imports) {
          pubSub.publish(TOPIC, databaseOf(version), { ...imported, dataVersion: version });
        }
        await redis?.flush();
      } catch (error) {
        onError(error);
      }
    },
    async subscribe() {
      const events = pubSub.subscribe(TOPIC, await identity());
      return new Repeater<ImportAnnouncement>(async (push, stop) => {
        const end = () => stop();
        open.add(end);
        void (async () => {
          for await (const announcement of events) await push(announcement);
        })().catch(stop);
        await stop;
        open.delete(end);
        await events.return();
      }, new SlidingBuffer(SUBSCRIBER_BUFFER));
    },
    get subscribers() {
      return open.size;
    },
    endSubscriptions() {
      for (const end of open) end();
    },
    async close() {
      this.endSubscriptions();
      await redis?.close();
    },
  };
}

/**
 * For a process without a server (the CLI): with REDIS_URL its committed imports are announced
 * to every server's subscribers; without it nobody could hear them, so nothing is set up.
 * Returns the way to stop, which waits for announcements still on their way.
 */
export function announceImportsThroughRedis(
  db: Db,
  redisUrl: string | undefined,
  onError: (error: unknown) => void,
): () => Promise<void> {
  if (!redisUrl) return async () => {};
  const live = createLiveImports(db, redisUrl, onError);
  const stop = onCommitted(db, live.announce);
  return async () => {
    stop();
    await live.close();
  };
}
