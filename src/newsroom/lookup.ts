// Lookup tables read with keys that come from outside (a file being imported, a URL): a key that
// names nothing gives undefined, never a member of Object.prototype such as "constructor".
export function lookupTable<T>(entries: Record<string, T>): Readonly<Partial<Record<string, T>>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
