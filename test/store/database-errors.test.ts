/**
 * What a command says when PostgreSQL goes away under it: the reason PostgreSQL or the driver
 * gave, not the lines Prisma wraps around it.
 */
import { describe, expect, it } from 'vitest';
import { databaseFailureMessage } from '../../src/store/database-errors.ts';

const reasonIn = (error: unknown) =>
  /cannot be reached \((.*)\)\. Nothing/.exec(databaseFailureMessage(error, 'x') ?? '')?.[1];

describe('the reason a database could not be reached', () => {
  it("is PostgreSQL's own words when Prisma wraps a raw query's failure", () => {
    // As Prisma 7 reported an embedded PostgreSQL stopped mid-import (seen: the message was
    // "cannot be reached (Invalid `prisma.$queryRaw()` invocation:)").
    const error = Object.assign(
      new Error(
        '\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`',
      ),
      {
        code: 'P2010',
        meta: {
          driverAdapterError: {
            cause: {
              kind: 'postgres',
              code: '57P01',
              message: 'terminating connection due to administrator command',
            },
          },
        },
      },
    );
    expect(reasonIn(error)).toBe('terminating connection due to administrator command');
  });

  it("is the last line of Prisma's invocation text, the driver's kind, or a plain phrase", () => {
    const invocation = Object.assign(
      new Error(
        '\nInvalid `db.auditLog.create()` invocation in\n/work/src/x.ts:1:1\n\nServer has closed the connection.',
      ),
      { code: 'P1017' },
    );
    expect(reasonIn(invocation)).toBe('Server has closed the connection.');
    const silent = Object.assign(new Error(''), {
      meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
    });
    expect(reasonIn(silent)).toBe('ConnectionClosed');
    expect(reasonIn(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(
      'read ECONNRESET',
    );
  });
});
