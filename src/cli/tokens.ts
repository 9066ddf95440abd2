import { openDatabase } from '../store/open-database.ts';
import { createToken, listTokens, revokeToken, SCOPES, type Scope, tokenNamed } from '../store/tokens.ts';
import { TOKEN_HELP } from './help.ts';
import { parseCommandArgs } from './usage.ts';

/** `token create|list|revoke`: API tokens for writes (and token-only reads). */
export async function runTokens(args: string[], log: (m: string) => void): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseCommandArgs('token', {
    args: rest,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' } },
  });
  if (action === 'create') {
    const name = values.name?.trim();
    if (!name || !values.scopes || positionals.length > 0) {
      console.error('Error: token create needs --name and --scopes, e.g. --name loader --scopes import');
      return 2;
    }
    // A tab or line break in a name broke `token list`'s columns, and the audit log's lines.
    if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name)) {
      console.error(
        `Error: the token name ${JSON.stringify(name)} holds a tab, line break or other control or invisible character; name it with letters, digits and - or _.`,
      );
      return 2;
    }
    const scopes = [...new Set(values.scopes.split(',').map((s) => s.trim()))] as Scope[];
    const bad = scopes.filter((s) => !SCOPES.includes(s));
    if (bad.length > 0) {
      console.error(
        `Error: unknown scope(s): ${bad.map((s) => JSON.stringify(s)).join(', ')}. Use ${SCOPES.join(', ')}.`,
      );
      return 2;
    }
    const database = await openDatabase({ log });
    try {
      const existing = await tokenNamed(database.db, name);
      if (existing) {
        console.error(
          existing.revokedAt
            ? `Error: a token named "${name}" was revoked on ${existing.revokedAt.toISOString().slice(0, 10)}; names are not reused (the audit log names tokens), so choose another name.`
            : `Error: a token named "${name}" already exists; revoke it (token revoke ${name}) or choose another name.`,
        );
        return 2;
      }
      const { token } = await createToken(database.db, name, scopes);
      console.log(token);
      log(`Token "${name}" created with scopes ${scopes.join(', ')}. It is shown only now; store it safely.`);
      return 0;
    } finally {
      await database.close();
    }
  }
  if (action === 'list') {
    const database = await openDatabase({ log });
    try {
      const tokens = await listTokens(database.db);
      if (tokens.length === 0)
        console.log('No tokens. Create one with: token create --name NAME --scopes import');
      for (const t of tokens) {
        console.log(
          [
            t.name,
            t.scopes.join(','),
            `created ${t.createdAt.toISOString()}`,
            t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : 'never used',
            t.revokedAt ? `REVOKED ${t.revokedAt.toISOString()}` : 'active',
          ].join('\t'),
        );
      }
      return 0;
    } finally {
      await database.close();
    }
  }
  if (action === 'revoke') {
    // `token revoke NAME`, or --name NAME as create takes it.
    const name = (positionals[0] ?? values.name)?.trim();
    if (!name || positionals.length > 1 || (positionals[0] && values.name)) {
      console.error('Error: token revoke needs one token name, e.g. token revoke loader');
      return 2;
    }
    const database = await openDatabase({ log });
    try {
      if (!(await revokeToken(database.db, name))) {
        console.error(`Error: no active token named "${name}" (token list shows them).`);
        return 1;
      }
      log(`Token "${name}" revoked.`);
      return 0;
    } finally {
      await database.close();
    }
  }
  console.error(
    `Error: ${action === undefined ? 'token needs an action (create, list or revoke)' : `unknown token action "${action}"`}.\n${TOKEN_HELP}`,
  );
  return 2;
}
