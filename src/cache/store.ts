// Rendered public responses in memory: bytes compressed once, bounded in size (least recently
// used go first), each entry tagged with what it shows so that a change drops exactly the
// entries showing it.

export interface CachedResponse {
  status: number;
  /** Headers to send as they are (content-type, cache-control, surrogate keys …). */
  headers: Record<string, string>;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  lastModified: string;
  tags: string[];
  /** When it goes stale on its own (Date.now() ms), for answers that time changes without a write. */
  expiresAt: number;
  /** The headers of a hit in each encoding, as Node writes them, made at the first hit. */
  wire?: Record<string, string[]>;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  invalidated: number;
}

const sizeOf = (e: CachedResponse) => e.identity.length + e.gzip.length + e.br.length + 512 + e.tags.length * 16;

export class PageStore {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly byTag = new Map<string, Set<string>>();
  /** When each tag was last invalidated, on the store's own clock (a counter). */
  private readonly invalidatedAt = new Map<string, number>();
  private clock = 0;
  private bytes = 0;
  private readonly stats = { hits: 0, misses: 0, invalidated: 0 };

  constructor(private readonly maxBytes: number) {}

  /** The store's clock now: a render that starts here may be stored only if none of its tags moved since. */
  now(): number {
    return this.clock;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) {
      if (entry) this.delete(key);
      this.stats.misses++;
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.stats.hits++;
    return entry;
  }

  /**
   * Keeps a response rendered since `startedAt`, unless something it shows changed meanwhile
   * (then what it holds may already be old). Returns whether it was kept.
   */
  set(key: string, entry: CachedResponse, startedAt: number): boolean {
    if (entry.tags.some((tag) => (this.invalidatedAt.get(tag) ?? -1) > startedAt)) return false;
    const size = sizeOf(entry);
    if (size > this.maxBytes / 4) return false;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += size;
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /** Drops every entry carrying any of these tags; renders in flight that carry them are not kept. */
  invalidate(tags: Iterable<string>): number {
    const stamp = ++this.clock;
    let dropped = 0;
    for (const tag of tags) {
      this.invalidatedAt.set(tag, stamp);
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) if (this.delete(key)) dropped++;
    }
    this.stats.invalidated += dropped;
    return dropped;
  }

  clear(): void {
    this.invalidate([...this.byTag.keys()]);
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  info(): CacheStats {
    return { entries: this.entries.size, bytes: this.bytes, ...this.stats };
  }

  private delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}
