import type { SyntheticOptions } from './index.ts';

/** The generator's defaults, in a module of their own: the CLI's help prints them without loading the generator. */
export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  agencies: 200,
  years: { from: 2019, to: 2024 },
  seed: 1,
  inconsistencyRate: 0.03,
};
