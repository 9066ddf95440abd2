/** `token create | list | revoke` against the test database: names, scopes and what each refusal says. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTokens } from '../../src/cli/tokens.ts';
import { runCapturingConsole } from '../support/cli-console.ts';
import { resetDatabase, testDb } from '../support/db.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeAll(() => resetDatabase(db));

async function token(...args: string[]) {
  const { code, out, err } = await runCapturingConsole(() => runTokens(args, () => {}));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('token', () => {
  it('creates a token with its scopes once each, and keeps a revoked name from being reused', async () => {
    const created = await token('create', '--name', ' loader ', '--scopes', 'import, import,read');
    expect(created.code).toBe(0);
    expect(await db.apiToken.findUnique({ where: { name: 'loader' }, select: { scopes: true } })).toEqual({
      scopes: ['import', 'read'],
    });
    expect(await token('create', '--name', 'loader', '--scopes', 'read')).toMatchObject({
      code: 2,
      err: 'Error: a token named "loader" already exists; revoke it (token revoke loader) or choose another name.',
    });
    expect(await token('revoke', '--name', 'loader')).toMatchObject({ code: 0 });
    const reused = await token('create', '--name', 'loader', '--scopes', 'read');
    expect(reused.code).toBe(2);
    expect(reused.err).toMatch(
      /^Error: a token named "loader" was revoked on \d{4}-\d\d-\d\d; names are not reused \(the audit log names tokens\), so choose another name\.$/,
    );
    expect(await token('revoke', 'loader')).toEqual({
      code: 1,
      out: '',
      err: 'Error: no active token named "loader" (token list shows them).',
    });
  });

  it.each([
    [['create', '--name', '   ', '--scopes', 'import'], 'Error: token create needs --name and --scopes'],
    [
      ['create', '--name', 'x', '--scopes', 'import', 'extra'],
      'Error: token create needs --name and --scopes',
    ],
    [['create', '--name', 'x', '--scopes', 'import,write'], 'Error: unknown scope(s): "write". Use'],
    [['revoke'], 'Error: token revoke needs one token name'],
    [['revoke', 'a', 'b'], 'Error: token revoke needs one token name'],
    [['rotate'], 'Error: unknown token action "rotate".'],
    [
      ['create', '--name', 'a\tb\nc', '--scopes', 'read'],
      'Error: the token name "a\\tb\\nc" holds a tab, line break',
    ],
    [['create', '--name', 'a\u202eb', '--scopes', 'read'], 'other control or invisible character'],
  ])('%j is refused with what to do', async (args, message) => {
    const { code, err } = await token(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});
