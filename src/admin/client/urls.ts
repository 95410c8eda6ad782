// Which addresses the editor accepts, mirroring the body allowlist (src/newsroom/body.ts): links
// may be http(s), mailto, tel or a path on this site; images and embeds http(s) or a site path.
// Anything else (javascript:, data:, protocol-relative //host …) is refused here, before the
// sanitizer would quietly drop it on save.

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function clean(raw: string): string {
  return raw.trim();
}

/** Control characters and spaces (U+0000–U+0020, U+007F). */
const isControlOrSpace = (c: string) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f;

/** A link target the body keeps, or null. A bare "example.com/x" gets https://. */
export function safeHref(raw: string): string | null {
  const url = clean(raw);
  if (!url || [...url].some((c) => isControlOrSpace(c) || /\s/.test(c))) return null;
  if (url.startsWith('//') || url.startsWith('\\')) return null;
  if (url.startsWith('/') || url.startsWith('#') || url.startsWith('?')) return url;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // "example.com/page": a host without a scheme is what people paste; anything else is not a URL.
    return /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+([/?#:].*)?$/u.test(url) ? `https://${url}` : null;
  }
  if (scheme === 'http' || scheme === 'https') return /^https?:\/\/[^/?#]+/i.test(url) ? url : null;
  if (scheme === 'mailto' || scheme === 'tel') return url.length > scheme.length + 1 ? url : null;
  return null;
}

/**
 * Whether sanitizeBody keeps this href as it is (for links that arrive by paste or in stored
 * HTML): relative addresses, or http, https, mailto and tel. Never javascript:, data: or //host.
 */
export function keptHref(raw: string): boolean {
  const url = [...raw].filter((c) => c.charCodeAt(0) > 0x20).join('');
  if (/^[\\/][\\/]/.test(url)) return false;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto' || scheme === 'tel';
}

/** An image or embed address the body keeps: http(s) or a path on this site. */
export function safeMediaUrl(raw: string): string | null {
  const href = safeHref(raw);
  if (href === null || href.startsWith('#') || href.startsWith('?')) return null;
  return /^(https?:\/\/|\/)/i.test(href) ? href : null;
}
