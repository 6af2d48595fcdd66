/** Items per chunk of a {@link ChunkedQueue}. */
const CHUNK = 1024;

interface Chunk<T> {
  readonly items: Array<T | undefined>;
  read: number;
  write: number;
  next: Chunk<T> | undefined;
}

/**
 * A first-in first-out queue kept in fixed-size chunks: pushing never copies what is queued (an array used as a
 * queue grows by copying itself, and is compacted by copying again), and a chunk emptied at the front is reused at
 * the back. For the emissions a synchronous source makes faster than the broker acknowledges (`sendTo` with a
 * `range` of a million values queues nearly all of them).
 */
export class ChunkedQueue<T> {
  private first: Chunk<T> = newChunk();
  private last: Chunk<T> = this.first;
  private spare: Chunk<T> | undefined;
  /** Items queued. */
  length = 0;

  /** Adds an item at the back. */
  push(item: T): void {
    let last = this.last;
    if (last.write === CHUNK) {
      const chunk = this.spare ?? newChunk<T>();
      this.spare = undefined;
      last.next = chunk;
      this.last = chunk;
      last = chunk;
    }
    last.items[last.write++] = item;
    this.length++;
  }

  /** The item at the front (undefined when empty). */
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.first.items[this.first.read];
  }

  /** Removes and returns the item at the front (undefined when empty). */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const first = this.first;
    const item = first.items[first.read];
    first.items[first.read++] = undefined;
    this.length--;
    if (first.read === first.write) {
      if (first.next === undefined) {
        first.read = 0;
        first.write = 0;
      } else {
        this.first = first.next;
        first.next = undefined;
        first.read = 0;
        first.write = 0;
        this.spare = first;
      }
    }
    return item;
  }
}

function newChunk<T>(): Chunk<T> {
  return { items: new Array<T | undefined>(CHUNK), read: 0, write: 0, next: undefined };
}
