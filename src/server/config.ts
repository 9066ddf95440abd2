import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  DEFAULT_PARSE_LIMITS,
  type InputLimits,
  MAX_MILLISECONDS,
  readInputLimits,
} from '../ingest/limits.ts';

/** Server settings, all from the environment, with the defaults a public deployment needs. */
export interface ServerConfig {
  production: boolean;
  /** Largest accepted request body in bytes (an import of a 5 MB report, base64-encoded, fits). */
  maxBodyBytes: number;
  /** Per-statement PostgreSQL timeout, so one heavy query cannot hold a connection for long. */
  statementTimeoutMs: number;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxCost: number;
    /** Rows a query may ask for, its nested pages (first, last, limit) multiplied. */
    maxRows: number;
    /** Items in any list argument (ids for `nodes`, years, agencies), literal or in variables. */
    maxListItems: number;
    /** importCommitted streams one client may hold open at once. */
    maxSubscriptionsPerClient: number;
  };
  rateLimit: { requestsPerMinute: number; burst: number };
  cache: { enabled: boolean; ttlMs: number; redisUrl: string | null };
  /** Comparison queries run compiled by graphql-jit (src/server/compiled-execution.ts). */
  compiledExecution: boolean;
  /** PostgreSQL streaming replicas that answer queries once they have caught up (READ_DATABASE_URLS). */
  readDatabaseUrls: string[];
  /** JSON file of {"<sha256 hash>": "<query>"}; when set in production only these operations run. */
  persistedOperationsFile: string | null;
  /** The file's operations by hash, read at start in production (null elsewhere: no allow-list). */
  persistedOperations: Readonly<Record<string, string>> | null;
  /**
   * Proxies in front of the server that append to X-Forwarded-For (0: none). The client is the
   * address that many hops from the right, so a client cannot pick its own rate-limit bucket.
   */
  trustedProxies: number;
  /** Reads need a token with the `read` scope (writes always need a token). */
  readsRequireToken: boolean;
  /** validateReport needs a token with the `import` scope (default in production). */
  validateRequiresToken: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <it>` (METRICS_TOKEN). */
  metricsToken: string | null;
  /** Origins allowed to call the API from a browser (CORS); none by default: same origin only. */
  corsOrigins: string[];
  logLevel: string;
  /** What one uploaded file may make the parser do (INPUT_MAX_* variables). */
  inputLimits: InputLimits;
  /** Uploads are parsed on worker threads, each with a heap and a time limit, behind a bounded queue. */
  parse: { workers: number; memoryMb: number; timeoutMs: number; maxQueue: number };
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** A switch: true/false, 1/0, yes/no, on/off in any case. Anything else stops the server. */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => TRUE.includes(v) || FALSE.includes(v), 'must be true or false (or 1/0, yes/no, on/off)')
  .transform((v) => TRUE.includes(v));
const count = z.string().trim().regex(/^\d+$/, 'must be a whole number of 0 or more').transform(Number);
/** A time that feeds a Node timer or PostgreSQL's statement_timeout (see MAX_MILLISECONDS). */
const milliseconds = count.refine(
  (v) => v <= MAX_MILLISECONDS,
  `must be at most ${MAX_MILLISECONDS} (about 24.8 days, the longest timer Node and PostgreSQL take)`,
);
/**
 * A limit whose 0 would refuse every request (a body of 0 bytes, a burst of 0 requests, a query
 * costing 0, of 0 tokens or of depth 0), or, for `refuses`, what 0 would refuse.
 */
const atLeastOne = (refuses = 'every request') =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number of 1 or more')
    .transform(Number)
    .refine((v) => v >= 1, `must be 1 or more: 0 would refuse ${refuses}`);
const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .refine(
    (list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
    'must be a comma-separated list of origins such as https://dashboard.example.org (scheme and host, no path)',
  );

const databaseUrls = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== ''),
  )
  .refine(
    (list) => list.every((u) => /^postgres(ql)?:\/\/\S+$/.test(u)),
    'must be a comma-separated list of postgresql:// URLs',
  );

/** Every variable the server reads, parsed strictly: a typo stops the server with its name. */
const ENVIRONMENT = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  MAX_BODY_BYTES: atLeastOne().optional(),
  STATEMENT_TIMEOUT_MS: milliseconds.optional(),
  MAX_QUERY_DEPTH: atLeastOne().optional(),
  MAX_QUERY_ALIASES: count.optional(),
  MAX_QUERY_TOKENS: atLeastOne().optional(),
  MAX_QUERY_DIRECTIVES: count.optional(),
  MAX_QUERY_COST: atLeastOne().optional(),
  MAX_QUERY_ROWS: atLeastOne('every query that asks for a list').optional(),
  MAX_LIST_ITEMS: count.optional(),
  MAX_SUBSCRIPTIONS_PER_CLIENT: count.optional(),
  RATE_LIMIT_PER_MINUTE: count.optional(),
  RATE_LIMIT_BURST: atLeastOne().optional(),
  RESPONSE_CACHE: flag.optional(),
  RESPONSE_CACHE_TTL_MS: milliseconds.optional(),
  COMPILED_EXECUTION: flag.optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  READ_DATABASE_URLS: databaseUrls.optional(),
  PERSISTED_OPERATIONS_FILE: z.string().optional(),
  // Read by serve alone (its --port wins), but checked with the rest: a bad one stops every command.
  PORT: z
    .string()
    .trim()
    .refine(
      (v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535,
      'must be a port number from 0 (any free port) to 65535',
    )
    .optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (v) => /^\d+$/.test(v) || TRUE.includes(v) || FALSE.includes(v),
      'must be true, false or a number of proxies',
    )
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : TRUE.includes(v) ? 1 : 0))
    .optional(),
  READS_REQUIRE_TOKEN: flag.optional(),
  VALIDATE_REQUIRES_TOKEN: flag.optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'must be 16 or more printable characters without spaces')
    .optional(),
  CORS_ORIGINS: origins.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PARSE_WORKERS: count.optional(),
  PARSE_MEMORY_MB: count.optional(),
  PARSE_TIMEOUT_MS: milliseconds.optional(),
  PARSE_QUEUE: count.optional(),
});

/**
 * The allow-list in PERSISTED_OPERATIONS_FILE, or what is wrong with it. Read with the other
 * settings: a missing or broken file stopped serve with a bare ENOENT or SyntaxError after it
 * had applied migrations.
 */
function readPersistedOperations(file: string): Record<string, string> | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot be read (${(error as Error).message}); give the path of the allow-list file, or unset it to run any operation`;
  }
  let operations: unknown;
  try {
    operations = JSON.parse(text);
  } catch (error) {
    return `is not JSON (${(error as Error).message}); it must hold {"<sha256 of the query>": "<query>", …}`;
  }
  if (
    typeof operations !== 'object' ||
    operations === null ||
    Array.isArray(operations) ||
    !Object.values(operations).every((query) => typeof query === 'string')
  ) {
    return 'must hold one JSON object of {"<sha256 of the query>": "<query>", …}';
  }
  return operations as Record<string, string>;
}

/** A setting (an environment variable) whose value is not understood; its message names it. */
export class SettingsError extends Error {}

/** Reads the server's settings; a value that is not understood stops it with the variable named. */
export function loadServerConfig(rawEnv: NodeJS.ProcessEnv = process.env): ServerConfig {
  // An empty variable is an unset one.
  const present = Object.fromEntries(
    Object.entries(rawEnv).filter(
      ([key, value]) => key in ENVIRONMENT.shape && value !== undefined && value !== '',
    ),
  );
  const parsed = ENVIRONMENT.safeParse(present);
  const lines = (parsed.error?.issues ?? []).map((issue) => {
    const name = String(issue.path[0]);
    return `${name}=${JSON.stringify(present[name])}: ${issue.message}`;
  });
  let inputLimits: InputLimits | undefined;
  try {
    inputLimits = readInputLimits(rawEnv);
  } catch (error) {
    lines.push((error as Error).message);
  }
  const operationsFile = parsed.data?.PERSISTED_OPERATIONS_FILE;
  // Outside production the file is not used (serve says so), so it is not read either.
  const persistedOperations =
    operationsFile && parsed.data?.NODE_ENV === 'production' ? readPersistedOperations(operationsFile) : null;
  if (typeof persistedOperations === 'string') {
    lines.push(`PERSISTED_OPERATIONS_FILE=${JSON.stringify(operationsFile)}: ${persistedOperations}`);
  }
  if (!parsed.success || !inputLimits || typeof persistedOperations === 'string') {
    throw new SettingsError(
      `These settings are not understood:\n  ${lines.join('\n  ')}\nSet them right in the environment or in .env (see .env.example), or unset them for the defaults.`,
    );
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const readsRequireToken = env.READS_REQUIRE_TOKEN ?? false;
  return {
    production,
    maxBodyBytes: env.MAX_BODY_BYTES ?? 8 * 1024 * 1024,
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS ?? 15_000,
    limits: {
      maxDepth: env.MAX_QUERY_DEPTH ?? 12,
      maxAliases: env.MAX_QUERY_ALIASES ?? 20,
      maxTokens: env.MAX_QUERY_TOKENS ?? 4000,
      maxDirectives: env.MAX_QUERY_DIRECTIVES ?? 20,
      maxCost: env.MAX_QUERY_COST ?? 50_000,
      maxRows: env.MAX_QUERY_ROWS ?? 100_000,
      maxListItems: env.MAX_LIST_ITEMS ?? 100,
      maxSubscriptionsPerClient: env.MAX_SUBSCRIPTIONS_PER_CLIENT ?? 20,
    },
    rateLimit: { requestsPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 600, burst: env.RATE_LIMIT_BURST ?? 100 },
    cache: {
      // With READS_REQUIRE_TOKEN only the callers who may read are answered from it (mayRead).
      enabled: env.RESPONSE_CACHE ?? true,
      ttlMs: env.RESPONSE_CACHE_TTL_MS ?? 60_000,
      redisUrl: env.REDIS_URL ?? null,
    },
    compiledExecution: env.COMPILED_EXECUTION ?? true,
    readDatabaseUrls: env.READ_DATABASE_URLS ?? [],
    persistedOperationsFile: env.PERSISTED_OPERATIONS_FILE ?? null,
    persistedOperations,
    trustedProxies: env.TRUST_PROXY ?? 0,
    readsRequireToken,
    // Anonymous validation parses untrusted files; a public production server asks for a token.
    validateRequiresToken: env.VALIDATE_REQUIRES_TOKEN ?? production,
    metricsToken: env.METRICS_TOKEN ?? null,
    corsOrigins: env.CORS_ORIGINS ?? [],
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    inputLimits,
    parse: {
      workers: env.PARSE_WORKERS ?? DEFAULT_PARSE_LIMITS.workers,
      memoryMb: env.PARSE_MEMORY_MB ?? DEFAULT_PARSE_LIMITS.memoryMb,
      timeoutMs: env.PARSE_TIMEOUT_MS ?? DEFAULT_PARSE_LIMITS.timeoutMs,
      maxQueue: env.PARSE_QUEUE ?? 16,
    },
  };
}
