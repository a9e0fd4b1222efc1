/** A post-login destination: only a path on this site, never another origin. */
export function safeNextPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  // Browsers drop tabs and newlines inside a URL and read "\" as "/", so "/\t/evil.example"
  // leads to //evil.example: a destination with any control character is refused outright.
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
