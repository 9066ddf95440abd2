/**
 * What scripts/bench.ts expects of the PostGraphile comparison. Kept apart from
 * bench-postgraphile.ts so the main project type-checks without PostGraphile installed.
 */
export interface PostGraphileShape {
  /** Runs the query (plus any client-side work) once; throws on GraphQL errors. */
  run: () => Promise<unknown>;
  /** What differs from our server's answer. */
  note: string;
}

export interface PostGraphileBench {
  /** Keyed like the bench shapes: compare, series, ranking; rollup and outcome get a reason instead. */
  shapes: Record<string, PostGraphileShape | { unsupported: string }>;
  release: () => Promise<void>;
}

export interface PostGraphileOptions {
  connectionString: string;
  agencyIds: number[];
  compareCodes: string[];
  seriesCode: string;
  ranking: { year: number; level: string; code: string; limit: number };
}

export type CreatePostGraphileBench = (options: PostGraphileOptions) => Promise<PostGraphileBench>;
