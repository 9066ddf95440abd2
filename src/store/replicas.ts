/**
 * Read replicas: PostgreSQL streaming standbys (READ_DATABASE_URLS) that answer queries so the
 * primary only writes. A replica answers a request only once it has replayed the primary's WAL
 * up to where the request's data version stands (see data-version.ts), so an answer from a
 * replica is never older than the version the response cache files it under. A replica that is
 * down, is not a standby, or has not caught up leaves the request to the primary.
 */

import { lsnToBigInt } from './data-version.ts';
import { describeUrl } from './database-errors.ts';
import { closeDb, createDb, type Db, poolOf, poolStats } from './db.ts';

export interface ReplicaSetOptions {
  /** Connections per replica. */
  poolSize?: number;
  statementTimeoutMs?: number;
  /** How often each replica is checked (reachable, a standby, how far it has replayed). */
  checkIntervalMs?: number;
  /** A replica that takes longer to connect or to answer a check is down. */
  timeoutMs?: number;
  /** A replica behind the requests' versions for this long is logged as lagging. */
  lagLogMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface ReplicaStatus {
  /** host:port/database, without credentials. */
  name: string;
  state: 'unknown' | 'up' | 'down' | 'not-standby';
  /** The WAL position it had replayed at its last check, as PostgreSQL prints it. */
  replayedLsn: string | null;
  /** Requests it answered (queries routed to it) since the start. */
  answered: number;
}

export interface ReplicaSet {
  /**
   * The least busy replica that has replayed up to `lsn`; null: none has, the primary answers.
   * Replicas that seem behind are asked again first (shared by concurrent callers).
   */
  choose(lsn: bigint): Promise<Db | null>;
  status(): ReplicaStatus[];
  /** A query on `db` failed because of the replica (gone, or cancelled by replay): leave it out until it checks well. */
  reportFailure(db: Db, error: unknown): void;
  /** Checks every replica now; resolves when all have answered or failed. */
  check(): Promise<void>;
  close(): Promise<void>;
}

interface Replica {
  name: string;
  db: Db;
  state: ReplicaStatus['state'];
  replayed: bigint | null;
  replayedText: string | null;
  answered: number;
  /** Since when requests have found it behind, and whether that was logged. */
  behindSince: number | null;
  lagLogged: boolean;
}

const CHECK_SQL = `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed`;

/** Opens a pool per replica and checks them in the background until closed. */
export function createReplicaSet(urls: readonly string[], options: ReplicaSetOptions = {}): ReplicaSet {
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 2000;
  const lagLogMs = options.lagLogMs ?? 2000;
  const replicas: Replica[] = urls.map((url) => ({
    name: describeUrl(url),
    db: createDb(url, {
      poolSize: options.poolSize ?? 10,
      statementTimeoutMs: options.statementTimeoutMs ?? 0,
      connectTimeoutMs: timeoutMs,
    }),
    state: 'unknown',
    replayed: null,
    replayedText: null,
    answered: 0,
    behindSince: null,
    lagLogged: false,
  }));
  let rotation = 0;
  let closed = false;

  const setState = (replica: Replica, state: Replica['state'], detail: string) => {
    if (replica.state === state) return;
    const was = replica.state;
    replica.state = state;
    if (state === 'up') {
      if (was !== 'unknown') log('info', `Read replica ${replica.name} is back: it answers reads again`);
    } else {
      log('warn', `Read replica ${replica.name} ${detail}: its reads go to the primary or other replicas`);
    }
  };

  const checkOne = async (replica: Replica) => {
    try {
      const pool = poolOf(replica.db);
      if (!pool) return;
      // query_timeout: a replica that accepts connections but hangs is down too.
      const result = await pool.query<{ standby: boolean; replayed: string | null }>({
        text: CHECK_SQL,
        query_timeout: timeoutMs,
      } as { text: string });
      const row = result.rows[0];
      if (!row?.standby || row.replayed === null) {
        replica.replayed = null;
        replica.replayedText = null;
        setState(replica, 'not-standby', 'is not a streaming standby (pg_is_in_recovery() is false)');
        return;
      }
      // Taken as it is, not as the highest seen: a standby rebuilt from an older backup goes back.
      replica.replayed = lsnToBigInt(row.replayed);
      replica.replayedText = row.replayed;
      setState(replica, 'up', '');
    } catch (error) {
      replica.replayed = null;
      replica.replayedText = null;
      setState(replica, 'down', `is unreachable (${(error as Error).message})`);
    }
  };

  let checking: Promise<void> | null = null;
  const check = () => {
    checking ??= Promise.all(replicas.map(checkOne)).then(() => {
      checking = null;
    });
    return checking;
  };

  const logLag = () => {
    const now = Date.now();
    for (const replica of replicas) {
      if (replica.behindSince !== null && !replica.lagLogged && now - replica.behindSince >= lagLogMs) {
        replica.lagLogged = true;
        log(
          'warn',
          `Read replica ${replica.name} lags: it has replayed to ${replica.replayedText ?? '?'} and has been behind the data version of requests for ${Math.round((now - replica.behindSince) / 1000)} s; the primary answers them until it catches up`,
        );
      }
    }
  };

  const timer = setInterval(() => {
    void check().then(logLag);
  }, options.checkIntervalMs ?? 1000);
  timer.unref();
  void check();

  const ready = (lsn: bigint) =>
    replicas.filter((r) => r.state === 'up' && r.replayed !== null && r.replayed >= lsn);

  const leastBusy = (candidates: Replica[]): Replica => {
    const busy = (replica: Replica) => {
      const stats = poolStats(replica.db);
      return stats ? stats.total - stats.idle + stats.waiting : 0;
    };
    rotation = (rotation + 1) % candidates.length;
    let best = candidates[rotation] as Replica;
    for (let i = 1; i < candidates.length; i++) {
      const other = candidates[(rotation + i) % candidates.length] as Replica;
      if (busy(other) < busy(best)) best = other;
    }
    return best;
  };

  const markCaughtUp = (replica: Replica) => {
    if (replica.lagLogged) log('info', `Read replica ${replica.name} has caught up`);
    replica.behindSince = null;
    replica.lagLogged = false;
  };

  return {
    async choose(lsn) {
      if (closed || replicas.length === 0) return null;
      let candidates = ready(lsn);
      if (candidates.length === 0 && replicas.some((r) => r.state === 'up')) {
        await check();
        candidates = ready(lsn);
      }
      const now = Date.now();
      for (const replica of replicas) {
        if (replica.state !== 'up') continue;
        if (candidates.includes(replica)) markCaughtUp(replica);
        else replica.behindSince ??= now;
      }
      if (candidates.length === 0) return null;
      const chosen = leastBusy(candidates);
      chosen.answered++;
      return chosen.db;
    },
    status: () =>
      replicas.map((r) => ({
        name: r.name,
        state: r.state,
        replayedLsn: r.replayedText,
        answered: r.answered,
      })),
    reportFailure(db, error) {
      const replica = replicas.find((r) => r.db === db);
      if (!replica) return;
      replica.replayed = null;
      replica.replayedText = null;
      setState(replica, 'down', `failed a query (${(error as Error)?.message ?? String(error)})`);
    },
    check,
    async close() {
      closed = true;
      clearInterval(timer);
      await checking?.catch(() => undefined);
      await Promise.all(replicas.map((r) => closeDb(r.db)));
    },
  };
}
