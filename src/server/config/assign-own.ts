// Copies keys as own data properties; plain assignment of a "__proto__" key from a config file
// would change the target's prototype instead.

export function assignOwn(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}
