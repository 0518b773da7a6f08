// DueHeap: a binary min-heap of (due time, lease id) in two parallel arrays, the in-memory
// schedule of the current expiry window. Entries are never updated in place: a newer due time is
// pushed and the older entry is recognised as stale by the caller when it surfaces.

export interface DueHeap {
  readonly size: number;
  push(due: number, id: string): void;
  /** The earliest entry without removing it. */
  peek(): { due: number; id: string } | undefined;
  pop(): { due: number; id: string } | undefined;
  clear(): void;
}

export function createDueHeap(): DueHeap {
  let dues: number[] = [];
  let ids: string[] = [];

  const swap = (a: number, b: number): void => {
    const d = dues[a]!;
    dues[a] = dues[b]!;
    dues[b] = d;
    const i = ids[a]!;
    ids[a] = ids[b]!;
    ids[b] = i;
  };
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (dues[p]! <= dues[i]!) return;
      swap(i, p);
      i = p;
    }
  };
  const down = (i: number): void => {
    const n = dues.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && dues[l]! < dues[m]!) m = l;
      if (r < n && dues[r]! < dues[m]!) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };

  return {
    get size() {
      return dues.length;
    },
    push(due, id) {
      dues.push(due);
      ids.push(id);
      up(dues.length - 1);
    },
    peek() {
      return dues.length === 0 ? undefined : { due: dues[0]!, id: ids[0]! };
    },
    pop() {
      if (dues.length === 0) return undefined;
      const top = { due: dues[0]!, id: ids[0]! };
      const lastDue = dues.pop()!;
      const lastId = ids.pop()!;
      if (dues.length > 0) {
        dues[0] = lastDue;
        ids[0] = lastId;
        down(0);
      }
      return top;
    },
    clear() {
      dues = [];
      ids = [];
    },
  };
}
