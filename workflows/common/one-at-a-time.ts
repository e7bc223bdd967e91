/**
 * Runs async handlers one at a time, in arrival order (each starts when the previous settled, whatever
 * its outcome): updates that plan or measure the clock must not interleave.
 */
export function oneAtATime(): <T>(fn: () => Promise<T>) => Promise<T> {
  let lock: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };
}
