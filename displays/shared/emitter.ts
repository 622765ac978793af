/**
 * @module shared/emitter
 * A tiny typed event emitter: `on()` returns its own unsubscribe function.
 */
export class Emitter<Events extends object> {
  private readonly _handlers = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(type: K, fn: (payload: Events[K]) => void): () => void {
    let set = this._handlers.get(type);
    if (!set) this._handlers.set(type, (set = new Set()));
    set.add(fn as (payload: never) => void);
    return () => { set.delete(fn as (payload: never) => void); };
  }

  protected emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const fn of [...(this._handlers.get(type) ?? [])]) (fn as (p: Events[K]) => void)(payload);
  }
}
