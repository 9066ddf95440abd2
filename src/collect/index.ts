/** Collecting reports from agency websites, as jobs any number of workers share; callers import from here. */
export {
  type CollectCounts,
  type CollectOptions,
  type CollectSummary,
  collect,
  NoSuchRunError,
  summarize,
} from './collect.ts';
export { DEFAULT_FETCH_SETTINGS, type FetchSettings } from './fetcher.ts';
export { isUnreadableRobots } from './robots.ts';
export { DEFAULT_RUN_SETTINGS, joinWork, type RunSettings, startRun, workerName } from './runs.ts';
