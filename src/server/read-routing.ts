/**
 * Which database answers a request. Mutations (an import and its response, `useRevision`) and
 * subscriptions run on the primary, and so does the token check (in the context, before any
 * routing). A query runs on a read replica (READ_DATABASE_URLS) that has replayed the primary's
 * WAL up to the request's data position, else on the primary: a replica never answers with
 * data older than the version the response cache files the answer under.
 */
import { type ExecutionArgs, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/builder.ts';
import { type DataPosition, dataPosition } from '../store/data-version.ts';
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
  const read = async (): Promise<DataPosition> => {
    const position = await dataPosition(primary);
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
 * Sends each query to a replica that has caught up with its data position. Runs when the query
 * executes, so an answer from the response cache touches no replica. A query whose position
 * cannot be read (the primary is down) stays on the primary, which reports the outage.
 */
export function readRoutingPlugin(replicas: ReplicaSet, positionOf: PositionOf): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn(async (executeArgs: ExecutionArgs) => {
        const context = executeArgs.contextValue as Context;
        const replica = await positionOf(context).then(
          (position) => replicas.choose(position.lsn),
          () => null,
        );
        // The same context object reaches the resolvers: Pothos' Prisma fields and the
        // comparison runner both read `db` from it.
        if (replica) context.db = replica;
        return executeFn(executeArgs) as never;
      });
    },
  };
}
