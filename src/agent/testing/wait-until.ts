// Waits for a condition in tests (polling every few ms), failing after a generous deadline, so
// tests synchronise on observable state instead of fixed sleeps.

export async function waitUntil(cond: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
