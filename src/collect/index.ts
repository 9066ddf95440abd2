/** Collecting reports from agency websites; callers import from here. */
export {
  type CollectCounts,
  type CollectOptions,
  type CollectSummary,
  collect,
} from './collect.ts';
export { DEFAULT_FETCH_SETTINGS, type FetchSettings } from './fetcher.ts';
