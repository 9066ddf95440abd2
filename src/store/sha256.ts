/**
 * The one SHA-256 the store writes: lowercase hex of bytes or UTF-8 text, the form of
 * report_revision.source_sha256, api_token.token_hash and Prisma's migration checksums.
 */
import { createHash } from 'node:crypto';

export const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');
