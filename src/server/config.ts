import { type InputLimits, readInputLimits } from '../ingest/limits.ts';

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
    /** Items in any list argument (ids for `nodes`, years, agencies), literal or in variables. */
    maxListItems: number;
  };
  rateLimit: { requestsPerMinute: number; burst: number };
  cache: { enabled: boolean; ttlMs: number; redisUrl: string | null };
  /** JSON file of {"<sha256 hash>": "<query>"}; when set in production only these operations run. */
  persistedOperationsFile: string | null;
  /** Trust X-Forwarded-For for the client address (behind a load balancer). */
  trustProxy: boolean;
  /** Reads need a token with the `read` scope (writes always need a token). */
  readsRequireToken: boolean;
  logLevel: string;
  /** What one uploaded file may make the parser do (INPUT_MAX_* variables). */
  inputLimits: InputLimits;
  /** Uploads are parsed on worker threads, each with a heap and a time limit, behind a bounded queue. */
  parse: { workers: number; memoryMb: number; timeoutMs: number; maxQueue: number };
}

const readInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
};

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const production = env.NODE_ENV === 'production';
  const int = (name: string, fallback: number) => readInt(env, name, fallback);
  return {
    production,
    maxBodyBytes: int('MAX_BODY_BYTES', 8 * 1024 * 1024),
    statementTimeoutMs: int('STATEMENT_TIMEOUT_MS', 15_000),
    limits: {
      maxDepth: int('MAX_QUERY_DEPTH', 12),
      maxAliases: int('MAX_QUERY_ALIASES', 20),
      maxTokens: int('MAX_QUERY_TOKENS', 4000),
      maxDirectives: int('MAX_QUERY_DIRECTIVES', 20),
      maxCost: int('MAX_QUERY_COST', 50_000),
      maxListItems: int('MAX_LIST_ITEMS', 100),
    },
    rateLimit: { requestsPerMinute: int('RATE_LIMIT_PER_MINUTE', 600), burst: int('RATE_LIMIT_BURST', 100) },
    cache: {
      // A shared cache would hand token-only data to anyone, so it is off when reads need a token.
      enabled: env.RESPONSE_CACHE !== 'off' && env.READS_REQUIRE_TOKEN !== 'true',
      ttlMs: int('RESPONSE_CACHE_TTL_MS', 60_000),
      redisUrl: env.REDIS_URL || null,
    },
    persistedOperationsFile: env.PERSISTED_OPERATIONS_FILE || null,
    trustProxy: env.TRUST_PROXY === 'true',
    readsRequireToken: env.READS_REQUIRE_TOKEN === 'true',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    inputLimits: readInputLimits(env),
    parse: {
      workers: int('PARSE_WORKERS', 2),
      memoryMb: int('PARSE_MEMORY_MB', 512),
      timeoutMs: int('PARSE_TIMEOUT_MS', 30_000),
      maxQueue: int('PARSE_QUEUE', 16),
    },
  };
}
