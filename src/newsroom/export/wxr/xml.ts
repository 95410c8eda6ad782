// The few XML pieces a WXR file is made of, written as text so the file can be streamed item by
// item. Every value passes through here: text and attributes are escaped, CDATA sections are
// split around "]]>" exactly as WordPress's wxr_cdata() does, and characters XML 1.0 cannot
// carry at all are dropped (one of them would make the whole file unreadable).
import { escapeUTF8 } from 'entities';

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const xmlSafe = (s: string): string => s.replace(XML_INVALID, '');

/** Escaped text or attribute value. */
export const text = (s: string | number): string => escapeUTF8(xmlSafe(String(s)));

/** A CDATA section; a "]]>" inside becomes "]]]]><![CDATA[>", which reads back as "]]>". */
export const cdata = (s: string): string => `<![CDATA[${xmlSafe(s).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** `<name>` holding escaped text. */
export const el = (name: string, value: string | number): string => `<${name}>${text(value)}</${name}>`;

/** `<name>` holding a CDATA section, as WordPress writes every free-text field. */
export const cel = (name: string, value: string): string => `<${name}>${cdata(value)}</${name}>`;

/** `<wp:postmeta>` with its key and value. */
export const postmeta = (key: string, value: string): string =>
  `\t\t<wp:postmeta>\n\t\t\t${cel('wp:meta_key', key)}\n\t\t\t${cel('wp:meta_value', value)}\n\t\t</wp:postmeta>\n`;
