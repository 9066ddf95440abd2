/**
 * Which database answers a request. Mutations (an import and its response, `useRevision`) and
 * subscriptions run on the primary, and so does the token check (in the context, before any
 * routing). A query runs on a read replica (READ_DATABASE_URLS) that has replayed the primary's
 * WAL up to the request's data position, else on the primary: a replica never answers with
 * data older than the version the response cache files the answer under.
 */
import { type ExecutionArgs, type ExecutionResult, type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/builder.ts';
import { type DataPosition, dataPosition } from '../store/data-version.ts';
import { isDatabaseUnanswered, isDatabaseUnavailable } from '../store/database-errors.ts';
import type { Db } from '../store/db.ts';
import type { ReplicaSet } from '../store/replicas.ts';
import type { PositionOf } from './cache.ts';

/** Versions whose first-seen WAL position is remembered; only the latest few are ever asked. */
const REMEMBERED_VERSIONS = 64;

/**
 * The primary's data position, read at most once per request (the cache key and the routing
 * share it). The WAL position required of a replica is the one first seen with that version:
 * WAL that writes no commit (vacuum, an import still running) moves the insert position but
 * not the version, and a replica need not replay it to show the version's data.
 */
export function requestPositions(primary: Db): PositionOf {
  const perRequest = new WeakMap<object, Promise<DataPosition>>();
  const firstSeen = new Map<string, bigint>();
  const fresh = freshReads(() => dataPosition(primary));
  const read = async (): Promise<DataPosition> => {
    const position = await fresh();
    const seen = firstSeen.get(position.version);
    if (seen !== undefined) return { version: position.version, lsn: seen };
    firstSeen.set(position.version, position.lsn);
    if (firstSeen.size > REMEMBERED_VERSIONS) {
      firstSeen.delete(firstSeen.keys().next().value as string);
    }
    return position;
  };
  return (context) => {
    let position = perRequest.get(context);
    if (!position) {
      position = read();
      perRequest.set(context, position);
    }
    return position;
  };
}

/**
 * One read shared by every caller that arrived before it started. A caller never joins a read
 * already sent: its snapshot may predate a commit the caller has seen acknowledged (its own
 * import, on this instance or another), and the cache would file an older answer under it. While
 * a read runs, callers wait for the next one, which starts when it ends; so under load a
 * server sends one version query per round trip instead of one per request.
 */
export function freshReads<T>(read: () => Promise<T>): () => Promise<T> {
  let running = false;
  let next: { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } | null =
    null;
  const start = (): Promise<T> => {
    running = true;
    const reading = read();
    const settled = () => {
      running = false;
      const waiting = next;
      next = null;
      if (waiting) start().then(waiting.resolve, waiting.reject);
    };
    reading.then(settled, settled);
    return reading;
  };
  return () => {
    if (!running) return start();
    if (!next) {
      let resolve!: (value: T) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      next = { promise, resolve, reject };
    }
    return next.promise;
  };
}

/**
 * An error the replica caused rather than the query: the replica went away, or replay cancelled
 * the query ("conflict with recovery", when it needed rows that replay removed).
 */
function replicaFailure(errors: readonly GraphQLError[] | undefined): unknown {
  return errors?.find(
    (error) =>
      isDatabaseUnavailable(error) ||
      isDatabaseUnanswered(error) ||
      /conflict with recovery/i.test(causes(error)),
  );
}

function causes(error: unknown): string {
  const messages: string[] = [];
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { message, originalError, cause } = current as {
      message?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    if (typeof message === 'string') messages.push(message);
    current = originalError ?? cause;
  }
  return messages.join('\n');
}

/**
 * Sends each query to a replica that has caught up with its data position. Runs when the query
 * executes, so an answer from the response cache touches no replica. A query whose position
 * cannot be read (the primary is down) stays on the primary, which reports the outage. A query
 * that fails because of its replica runs again on the primary (queries write nothing), and the
 * replica is left out until its next good check.
 */
export function readRoutingPlugin(primary: Db, replicas: ReplicaSet, positionOf: PositionOf): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn(async (executeArgs: ExecutionArgs) => {
        const context = executeArgs.contextValue as Context;
        const replica = await positionOf(context).then(
          (position) => replicas.choose(position.lsn),
          () => null,
        );
        if (!replica) return executeFn(executeArgs) as never;
        // The same context object reaches the resolvers: Pothos' Prisma fields and the
        // comparison runner both read `db` from it.
        context.db = replica;
        const result = (await executeFn(executeArgs)) as ExecutionResult;
        const failure = Symbol.asyncIterator in result ? undefined : replicaFailure(result.errors);
        if (!failure) return result as never;
        replicas.reportFailure(replica, failure);
        // A fresh context: per-request loaders must not hand back the replica's failures.
        const retry = Object.assign(Object.create(Object.getPrototypeOf(context)), context, { db: primary });
        return executeFn({ ...executeArgs, contextValue: retry }) as never;
      });
    },
  };
}
