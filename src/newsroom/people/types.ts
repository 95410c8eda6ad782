export const CONTACT_KINDS = ['email', 'phone', 'website', 'x', 'telegram', 'whatsapp', 'instagram', 'linkedin', 'facebook', 'mastodon', 'signal'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface Contact {
  kind: ContactKind;
  value: string;
}

export interface Person {
  id: number;
  slug: string;
  name: string;
  kind: 'person' | 'collective';
  /** Job title: journalist, news-writer, analyst, editor … */
  title: string;
  bio: string;
  photoUrl: string | null;
  contacts: Contact[];
}

/** A person's public link for a contact way, or null when it has none (a phone on a desktop still gets tel:). */
export function contactHref(contact: Contact): string | null {
  const v = contact.value.trim();
  switch (contact.kind) {
    case 'email':
      return `mailto:${v}`;
    case 'phone':
    case 'signal':
      return `tel:${v.replace(/[^\d+]/g, '')}`;
    case 'whatsapp':
      return `https://wa.me/${v.replace(/[^\d]/g, '')}`;
    case 'x':
      return `https://x.com/${v.replace(/^@/, '')}`;
    case 'telegram':
      return `https://t.me/${v.replace(/^@/, '')}`;
    case 'instagram':
      return `https://www.instagram.com/${v.replace(/^@/, '')}`;
    case 'website':
    case 'linkedin':
    case 'facebook':
    case 'mastodon':
      return /^https?:\/\//.test(v) ? v : null;
  }
}

export const CONTACT_LABELS: Record<ContactKind, string> = {
  email: 'Email',
  phone: 'Phone',
  website: 'Website',
  x: 'X',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
  facebook: 'Facebook',
  mastodon: 'Mastodon',
  signal: 'Signal',
};
