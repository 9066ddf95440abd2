import { constants } from 'node:os';

/**
 * A signal this soon after the same one is the same request passed on: a terminal's Ctrl-C
 * reaches the whole process group, and npm (like tsx, when it runs the CLI) passes the signal
 * it got on to its child as well, so one keypress arrives two or three times within
 * milliseconds. Nobody presses Ctrl-C twice that fast meaning "now".
 */
export const ECHO_MS = 300;

/**
 * Ctrl-C or SIGTERM for a long command: the first asks it to stop at its next safe point (it
 * reads `signal`), a second (not an echo of the first) exits at once with 128 + the signal's
 * number. `dispose` stops listening.
 */
export function stopOnSignals(onFirst: (signal: NodeJS.Signals) => void) {
  let received: NodeJS.Signals | null = null;
  let at = 0;
  const isEcho = (signal: NodeJS.Signals) => signal === received && performance.now() - at < ECHO_MS;
  const handler = (signal: NodeJS.Signals) => {
    if (isEcho(signal)) return;
    if (received) process.exit(signalExitCode(signal));
    received = signal;
    at = performance.now();
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
      // A command that stops quickly may be done before the echo arrives, which would then
      // kill the process on its way out (no summary, no exit code of its own).
      const left = received ? ECHO_MS - (performance.now() - at) : 0;
      if (left <= 0) return;
      const ignore = () => {};
      process.on(received as NodeJS.Signals, ignore);
      setTimeout(() => process.off(received as NodeJS.Signals, ignore), left).unref();
    },
  };
}

/** The exit code of a command stopped by `signal`: 128 + its number, as a shell reports it. */
export const signalExitCode = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);
