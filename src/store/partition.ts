// How work is split by borrower: a stable 31-bit hash of the borrower id, and n equal, contiguous hash
// ranges for n workers (worker k takes the k-th range). Invariants: the hash of an id never changes
// (it is stored in loans.borrower_hash and outbox.borrower_hash, so changing the function needs a
// migration that recomputes it); for every n the ranges are disjoint and cover 0 … 2^31 − 1, so every
// borrower belongs to exactly one worker and all of a borrower's loans to the same one.
//
// Ranges rather than `hash % n = k`: a range is a condition the loans_next_event_idx index can check on
// its own entries, and the planner can estimate it from column statistics (a modulo it cannot, and
// then it sorts every due loan for each page). Ranges are also how Citus shards a hash-distributed table.

/** One past the largest hash: hashes are 0 … HASH_SPACE − 1. */
export const HASH_SPACE = 2 ** 31;

/** The most workers a close may be split into (a limit, so ranges never become empty). */
export const WORKERS_MAX = 1024;

const encoder = new TextEncoder();

/**
 * The borrower's hash: FNV-1a 32 of the id's UTF-8 bytes, mixed by MurmurHash3's 32-bit finalizer, with
 * the top bit cleared so it fits a non-negative PostgreSQL `integer`. Both steps are public, a few lines
 * long and the same in any language, so an operator can recompute a borrower's worker by hand. The
 * finalizer matters: FNV-1a alone barely moves its high bits when only the last character changes
 * (B001, B002 … would all land on one worker), and the ranges are cut from the high bits.
 */
export function borrowerHash(borrowerId: string): number {
  return fmix32(fnv1a32(borrowerId)) & 0x7fffffff;
}

/** FNV-1a 32-bit (offset basis 2166136261, prime 16777619) over the UTF-8 bytes; unsigned. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's fmix32: a bijection on 32 bits in which every input bit moves every output bit. */
export function fmix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export interface Partition {
  /** This worker, 0 … workers − 1. */
  worker: number;
  workers: number;
}

/** The inclusive hash range of worker k of n: [ceil(k·2^31/n), ceil((k+1)·2^31/n) − 1]. */
export function partitionRange({ worker, workers }: Partition): { low: number; high: number } {
  checkPartition({ worker, workers });
  return { low: rangeStart(worker, workers), high: rangeStart(worker + 1, workers) - 1 };
}

/** The worker of n that owns a hash; agrees with partitionRange. */
export function workerOfHash(hash: number, workers: number): number {
  checkPartition({ worker: 0, workers });
  if (!Number.isInteger(hash) || hash < 0 || hash >= HASH_SPACE) throw new RangeError(`hash out of range: ${hash}`);
  return Math.floor((hash * workers) / HASH_SPACE);
}

function rangeStart(worker: number, workers: number): number {
  // Exact in doubles: worker · 2^31 < 2^41.
  return Math.ceil((worker * HASH_SPACE) / workers);
}

export function checkPartition({ worker, workers }: Partition): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > WORKERS_MAX) {
    throw new RangeError(`workers must be an integer 1…${WORKERS_MAX}, got ${workers}`);
  }
  if (!Number.isInteger(worker) || worker < 0 || worker >= workers) {
    throw new RangeError(`worker must be an integer 0…${workers - 1}, got ${worker}`);
  }
}
