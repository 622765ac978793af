/** `cluster-key-slot` (a dependency of ioredis, and of the engine) ships no types. */
declare module 'cluster-key-slot' {
  /** The Redis Cluster slot (0–16383) of a key: CRC16 of its hash tag (`{…}`) if it has one, else of the whole key. */
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The slot shared by all `keys`, or -1 when they are not all in one slot. */
    function generateMulti(keys: readonly (string | Buffer)[]): number;
  }
  export = calculateSlot;
}
