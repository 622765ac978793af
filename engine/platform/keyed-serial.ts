/**
 * Runs tasks of one key one after another (tasks of different keys run concurrently), so that two
 * read-modify-writes of one record in this process never interleave. Memory is bounded by the keys
 * with work in flight.
 */
export function createKeyedSerial() {
  const tails = new Map<string, Promise<unknown>>();
  return function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = tails.get(key);
    const run = prev ? prev.then(task, task) : task();
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => { if (tails.get(key) === tail) tails.delete(key); });
    return run;
  };
}
export type KeyedSerial = ReturnType<typeof createKeyedSerial>;
