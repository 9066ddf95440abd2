import { constants } from 'node:os';

/**
 * Ctrl-C or SIGTERM for a long command: the first asks it to stop at its next safe point (it
 * reads `signal`), a second exits at once with 128 + the signal's number. `dispose` stops
 * listening.
 */
export function stopOnSignals(onFirst: (signal: NodeJS.Signals) => void) {
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + (constants.signals[signal] ?? 0));
    received = signal;
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get signal() {
      return received;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
