// Keep credentials out of error messages: whatever a driver or fetch puts in its message, the
// URL, its password, its query values and a connection string's password are
// replaced by ***.

/** The parts of a URL or connection string that must never be shown. */
export function secretsOf(locator: string): string[] {
  const out = [locator];
  try {
    const url = new URL(locator);
    out.push(url.href, decodeURIComponent(url.password), url.password);
    for (const value of url.searchParams.values()) out.push(value, encodeURIComponent(value));
  } catch {
    // not a URL: the whole string is hidden
  }
  return [...new Set(out.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

/**
 * @example scrub('bad auth for https://u:pw123@h/x', secretsOf('https://u:pw123@h/x')) // 'bad auth for ***'
 */
export function scrub(message: string, secrets: string[]): string {
  let out = message;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
