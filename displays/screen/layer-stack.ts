/**
 * @module screen/layer-stack
 * Crossfades: the newest layer fades in on top while the previous ones fade out, then are removed.
 * Pure bookkeeping plus one timer per leaving layer; the host renders `layers` with `repeat()` by key.
 */

export interface Layer<T> {
  key: string;
  value: T;
  leaving: boolean;
}

export class LayerStack<T> {
  layers: Array<Layer<T>> = [];
  private readonly _timers = new Set<ReturnType<typeof setTimeout>>();

  /** @param onChange called after a leaving layer was removed (the host re-renders). */
  constructor(private readonly fadeMs: () => number, private readonly onChange: () => void) {}

  get active(): Layer<T> | undefined {
    return this.layers.at(-1);
  }

  /** Makes `key` the active layer. Returns true if it changed. The same key only refreshes the value. */
  show(key: string, value: T): boolean {
    const top = this.active;
    if (top?.key === key) { top.value = value; return false; }
    for (const l of this.layers) l.leaving = true;
    this.layers = [...this.layers.filter((l) => l.key !== key), { key, value, leaving: false }];
    const t = setTimeout(() => {
      this._timers.delete(t);
      const before = this.layers.length;
      this.layers = this.layers.filter((l) => !l.leaving);
      if (this.layers.length !== before) this.onChange();
    }, this.fadeMs());
    this._timers.add(t);
    return true;
  }

  dispose(): void {
    for (const t of this._timers) clearTimeout(t);
    this._timers.clear();
  }
}
