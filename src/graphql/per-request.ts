/**
 * A value kept for the length of one request, keyed by its context and made on first use:
 * what several resolvers of one request share (a run's counts read once, a batch of ids
 * collected for one statement), gone with the request.
 */
export function perRequest<T>(make: () => T): (context: object) => T {
  const values = new WeakMap<object, T>();
  return (context) => {
    let value = values.get(context);
    if (value === undefined) {
      value = make();
      values.set(context, value);
    }
    return value;
  };
}
