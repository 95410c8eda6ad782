// Table types as Kysely sees them. Times are ISO 8601 UTC strings ("2026-11-28T05:35:00.000Z")
// in both dialects: they sort as text and need no driver-specific parsing.
import type { Generated } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DesksTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  email: string | null;
  position: number;
  created_at: string;
}

export interface DeskSlugsTable {
  slug: string;
  desk_id: number;
}

export interface PeopleTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: 'person' | 'collective';
  title: string;
  bio: string;
  photo_url: string | null;
  /** JSON array of {kind, value}: email, phone, website, x, telegram, … */
  contacts: string;
  created_at: string;
}

export interface DeskEditorsTable {
  desk_id: number;
  person_id: number;
  position: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  role: 'contributor' | 'desk_editor' | 'managing_editor' | 'admin';
  person_id: number | null;
  password_hash: string | null;
  created_at: string;
  display_name: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** The last two-factor time step used to log in; older or equal steps are refused. */
  totp_last_step: number | null;
  disabled_at: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  article_id: number | null;
  user_id: number | null;
  /** The workflow command or other action: create, save, submit, request_changes, approve, … */
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string;
  at: string;
}

export interface RevisionsTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  user_id: number | null;
  at: string;
  /** JSON snapshot of the article's editable fields at this version. */
  fields: string;
}

export interface ArticleEventsTable {
  id: Generated<number>;
  article_id: number;
  kind: 'update' | 'correction';
  /** The public note shown on the article. */
  note: string;
  at: string;
  user_id: number | null;
}

export interface ArticleLocksTable {
  article_id: number;
  user_id: number;
  since: string;
  seen_at: string;
}

export interface FrontPageTable {
  position: number;
  article_id: number;
}

export interface BreakingNewsTable {
  id: Generated<number>;
  headline: string;
  url: string | null;
  starts_at: string;
  expires_at: string;
  cleared_at: string | null;
  created_by: number | null;
}

export interface SetupTokensTable {
  token_hash: string;
  user_id: number;
  expires_at: string;
  used_at: string | null;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  desk_id: number;
  kicker: string;
  headline: string;
  dek: string;
  body_html: string;
  /** Editor-written excerpt; empty means derive from the body. */
  excerpt: string;
  lead_image_url: string | null;
  lead_image_alt: string;
  lead_image_caption: string;
  lead_image_credit: string;
  language: string;
  status: 'draft' | 'submitted' | 'changes_requested' | 'approved' | 'scheduled' | 'published' | 'unpublished';
  published_at: string | null;
  /** Public "updated" time, set by an update or correction after publication. */
  updated_at: string | null;
  embargo_until: string | null;
  created_at: string;
  modified_at: string;
  version: number;
  created_by: number | null;
  seo_title: Generated<string>;
  seo_description: Generated<string>;
}

export interface ArticleSlugsTable {
  slug: string;
  article_id: number;
}

export interface ArticleBylinesTable {
  article_id: number;
  person_id: number;
  position: number;
  /**
   * A copy of the story's articles.published_at, kept by triggers (migration listing-times), so
   * a listing walks the newest links first. Orders and bounds only: visibility is the story's.
   */
  published_at: Generated<string | null>;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
  position: number;
  /**
   * A copy of the story's articles.published_at, kept by triggers (migration listing-times), so
   * a listing walks the newest links first. Orders and bounds only: visibility is the story's.
   */
  published_at: Generated<string | null>;
}

export interface ContactMessagesTable {
  id: Generated<number>;
  desk_id: number;
  name: string;
  email: string;
  subject: string;
  body: string;
  created_at: string;
  read_at: string | null;
  answered_at: string | null;
}

export interface Database {
  settings: SettingsTable;
  desks: DesksTable;
  desk_slugs: DeskSlugsTable;
  people: PeopleTable;
  desk_editors: DeskEditorsTable;
  users: UsersTable;
  setup_tokens: SetupTokensTable;
  articles: ArticlesTable;
  article_slugs: ArticleSlugsTable;
  article_bylines: ArticleBylinesTable;
  tags: TagsTable;
  article_tags: ArticleTagsTable;
  contact_messages: ContactMessagesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  revisions: RevisionsTable;
  article_events: ArticleEventsTable;
  article_locks: ArticleLocksTable;
  front_page: FrontPageTable;
  breaking_news: BreakingNewsTable;
  static_pages: StaticPagesTable;
  legacy_redirects: LegacyRedirectsTable;
  import_keys: ImportKeysTable;
  media: MediaTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  cache_changes: CacheChangesTable;
}

/** A change readers can see, as the cache tags it invalidates (src/newsroom/changes.ts). */
export interface CacheChangesTable {
  id: Generated<number>;
  tags: string;
  at: string;
  purged_at: string | null;
}

/** A page outside the news flow (About, Imprint …), served at its own path. */
export interface StaticPagesTable {
  id: Generated<number>;
  /** Site-relative, without a trailing slash: "/about", "/company/jobs". */
  path: string;
  title: string;
  /** Sanitized like an article body. */
  body_html: string;
  excerpt: string;
  status: 'published' | 'draft';
  author_id: number | null;
  position: number;
  published_at: string | null;
  created_at: string;
  modified_at: string;
}

/** An old address (path, or "/?p=12") and what answers it now; exactly one target is set. */
export interface LegacyRedirectsTable {
  path: string;
  article_id: number | null;
  page_id: number | null;
  desk_id: number | null;
  location: string | null;
  created_at: string;
}

/** What an import made of each thing it read, so the next run updates it instead of duplicating. */
export interface ImportKeysTable {
  /** "wordpress:<site url>". */
  source: string;
  /** post, page, attachment, author, category, tag. */
  kind: string;
  /** The id (or login, or slug) in the source. */
  key: string;
  /** Our id in the table the kind names; null when nothing was made (e.g. an image kept remote). */
  target_id: number | null;
  guid: string;
  /** For attachments: the URL the file is served from now. */
  url: string | null;
  /** A digest of the item as last read: unchanged items are not written again. */
  checksum: string;
  imported_at: string;
}

/** An uploaded image of the media library; its files live in media storage under `key`. */
export interface MediaTable {
  id: Generated<number>;
  /** Content address of the upload (hex); shared by identical uploads. */
  key: string;
  original_name: string;
  /** The type the upload really was: image/jpeg, image/png, image/webp or image/avif. */
  mime: string;
  /** Of the stored original, upright. */
  width: number;
  height: number;
  /** Size of the upload as sent. */
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  /** JSON array of the stored files: {name, format, width, height, bytes, original?}. */
  variants: string;
  uploaded_by: number | null;
  created_at: string;
  updated_at: string | null;
}

/** A webhook subscription: article events of the chosen types are POSTed, signed, to `url`. */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  /** The HMAC-SHA256 key receivers verify signatures with. */
  secret: string;
  /** Comma-separated event types: article.published, article.updated, … */
  events: string;
  description: Generated<string>;
  /** 1 or 0: an inactive subscription gets no new deliveries and its pending ones wait. */
  active: Generated<number>;
  created_at: string;
}

/** The outbox: an article event, written in the transaction of the change that caused it. */
export interface WebhookEventsTable {
  /** "evt_<uuid>": the same in every delivery and retry, for receivers to deduplicate. */
  id: string;
  type: string;
  article_id: number;
  /** JSON: the public snapshot of the article (and the public note) at the time of the event. */
  payload: string;
  occurred_at: string;
}

/** One event to one subscription, and how its delivery went. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  webhook_id: number;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: Generated<number>;
  /** When the next attempt is due; while one is in flight, when its lease runs out. */
  next_attempt_at: string;
  claim_token: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}
