/**
 * A typed announcement of a state change, with any number of listeners: the unit that owns a piece of state emits,
 * the units that react to it subscribe, and nobody wakes anybody by hand.
 *
 * Listeners run synchronously, in the order they subscribed, and must not throw. Emitting is a loop over an array
 * (subscribing copies it, so a listener may subscribe or unsubscribe while an emission runs) and allocates nothing,
 * but signals announce changes of state (a partition sought, failed, resumed, a buffer with room), never records.
 */
export class Signal<T = void> {
  private listeners: ReadonlyArray<(value: T) => void> = [];

  /** Calls `listener` at every emission until the returned function is called. */
  on(listener: (value: T) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Calls every listener with `value`. */
  emit(value: T): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(value);
  }

  /** True when someone listens. */
  get observed(): boolean {
    return this.listeners.length > 0;
  }
}
