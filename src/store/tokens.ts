import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';
import { sha256Hex } from './sha256.ts';

export const SCOPES = ['read', 'import', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  tokenId: number;
  name: string;
  scopes: Scope[];
}

const hashToken = (token: string) => sha256Hex(token);

/** Creates a token and returns its secret once; only the hash is stored. */
export async function createToken(
  db: Db,
  name: string,
  scopes: Scope[],
): Promise<{ id: number; token: string }> {
  const unknown = scopes.filter((s) => !SCOPES.includes(s));
  if (unknown.length > 0)
    throw new Error(`Unknown scope(s) ${unknown.join(', ')}; use ${SCOPES.join(', ')}.`);
  const token = `gdr_${randomBytes(32).toString('base64url')}`;
  const row = await db.apiToken.create({ data: { name, tokenHash: hashToken(token), scopes } });
  return { id: row.id, token };
}

/** Whether a token of this name exists, revoked or not (names are unique). */
/** The token of that name, active or revoked (names are never reused), or null. */
export async function tokenNamed(db: Db, name: string): Promise<{ revokedAt: Date | null } | null> {
  return db.apiToken.findUnique({ where: { name }, select: { revokedAt: true } });
}

export async function revokeToken(db: Db, name: string): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({
    where: { name, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

export function listTokens(db: Db) {
  return db.apiToken.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, name: true, scopes: true, createdAt: true, revokedAt: true, lastUsedAt: true },
  });
}

export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'token'; principal: Principal };

/**
 * How often a token's last use is recorded: at every request, it was a write per request (and,
 * while the response cache's data version was the whole snapshot, it emptied the cache for
 * everyone at each, so a dashboard sending a token was never answered from it).
 */
export const LAST_USED_STEP_MS = 60 * 60 * 1000;

/** Resolves an `Authorization: Bearer <token>` header to the token's principal. */
export async function authenticate(db: Db, authorization: string | null): Promise<Authentication> {
  if (!authorization) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { kind: 'invalid' };
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(match[1]) } });
  if (!row || row.revokedAt) return { kind: 'invalid' };
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_STEP_MS) {
    // Best effort: a failed timestamp update must not fail the request. The condition again in
    // SQL: of requests checking one token at once, one writes.
    void db.$executeRaw`
      UPDATE api_token SET last_used_at = now()
      WHERE id = ${row.id}
        AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => ${LAST_USED_STEP_MS / 1000}))`.catch(
      () => {},
    );
  }
  return { kind: 'token', principal: { tokenId: row.id, name: row.name, scopes: row.scopes as Scope[] } };
}
