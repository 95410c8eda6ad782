// Shapes of the public content API, schema first. The response schemas are the second guard
// behind the presenters: Fastify's serializer writes only the properties declared here, so a
// newsroom-only field (status, version, embargo, who created a story) cannot reach a reader even
// if a presenter let it through.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CONTACT_KINDS } from '../../newsroom/people/types.ts';

/** Lower-case letters of any script, digits and single hyphens (see isSlug in newsroom/text.ts). */
export const SLUG_PATTERN = '^[\\p{Ll}\\p{Lo}\\p{N}]+(?:-[\\p{Ll}\\p{Lo}\\p{N}]+)*$';
const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 200, description: 'A slug: lower-case letters, digits and single hyphens.' });
const Cursor = Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$', description: 'The `nextCursor` of the previous page, unchanged.' });
const Url = Type.String({ description: 'Absolute URL on the public site.' });
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateOrTime = (description: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2}))?$',
    description,
  });

// ---- requests ---------------------------------------------------------------------------------

export const SlugParams = Type.Object({ slug: Slug }, { additionalProperties: false });
export type SlugParamsType = Static<typeof SlugParams>;

export const ArticlesQuery = Type.Object(
  {
    desk: Type.Optional({ ...Slug, description: 'Only stories of this desk (slug).' }),
    tag: Type.Optional({ ...Slug, description: 'Only stories with this tag (slug).' }),
    author: Type.Optional({ ...Slug, description: 'Only stories with this person or collective in the byline (slug).' }),
    from: Type.Optional(
      DateOrTime('Published at or after this time (ISO 8601 date-time with offset, or a date: that day starts in the newsroom time zone).'),
    ),
    to: Type.Optional(DateOrTime('Published before this time (ISO 8601 date-time with offset), or on or before this date (a whole day in the newsroom time zone).')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Stories per page.' })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ArticlesQueryType = Static<typeof ArticlesQuery>;

export const TagsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100, description: 'Tags per page.' })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type TagsQueryType = Static<typeof TagsQuery>;

export const PeopleQuery = Type.Object(
  { kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('collective')], { description: 'Only people, or only collectives.' })) },
  { additionalProperties: false },
);
export type PeopleQueryType = Static<typeof PeopleQuery>;

// ---- responses --------------------------------------------------------------------------------

export const DeskRef = Type.Object({ slug: Type.String(), name: Type.String(), url: Url }, { additionalProperties: false });

export const PersonRef = Type.Object(
  { slug: Type.String(), name: Type.String(), kind: Type.Union([Type.Literal('person'), Type.Literal('collective')]), url: Url },
  { additionalProperties: false },
);

export const TagRef = Type.Object({ slug: Type.String(), name: Type.String(), url: Url }, { additionalProperties: false });

export const Contact = Type.Object(
  {
    kind: Type.Union(CONTACT_KINDS.map((k) => Type.Literal(k))),
    value: Type.String(),
    href: Nullable(Type.String({ description: 'A link for this contact way (mailto:, tel:, https:), when it has one.' })),
  },
  { additionalProperties: false },
);

export const Person = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('person'), Type.Literal('collective')]),
    title: Type.String({ description: 'Job title: journalist, news-writer, analyst, editor …' }),
    bio: Type.String(),
    photoUrl: Nullable(Type.String()),
    contacts: Type.Array(Contact),
    url: Url,
  },
  { additionalProperties: false },
);

export const LeadImage = Type.Object(
  { url: Type.String(), alt: Type.String(), caption: Type.String(), credit: Type.String() },
  { additionalProperties: false },
);

const summaryFields = {
  id: Type.Integer(),
  slug: Type.String(),
  url: { ...Url, description: 'The canonical URL of the story on the site.' },
  kicker: Type.String(),
  headline: Type.String(),
  dek: Type.String(),
  excerpt: Type.String(),
  leadImage: Nullable(LeadImage),
  publishedAt: Time,
  updatedAt: Nullable(Time),
  desk: DeskRef,
};

export const ArticleSummary = Type.Object({ ...summaryFields, bylines: Type.Array(PersonRef) }, { additionalProperties: false });

export const ArticleEvent = Type.Object(
  { kind: Type.Union([Type.Literal('update'), Type.Literal('correction')]), note: Type.String(), at: Time },
  { additionalProperties: false },
);

export const Article = Type.Object(
  {
    ...summaryFields,
    bodyHtml: Type.String({ description: 'Sanitized HTML of the body.' }),
    language: Type.String({ description: 'BCP 47 language tag.' }),
    bylines: Type.Array(Person, { description: 'In byline order, with the author box of each.' }),
    tags: Type.Array(TagRef),
    events: Type.Array(ArticleEvent, { description: 'Public updates and corrections, oldest first.' }),
  },
  { additionalProperties: false },
);

export const Desk = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    email: Nullable(Type.String({ description: "The desk's public contact address." })),
    url: Url,
    contactUrl: Url,
    editors: Type.Array(PersonRef, { description: 'The editors who answer for what the desk publishes.' }),
  },
  { additionalProperties: false },
);

export const Tag = Type.Object(
  { slug: Type.String(), name: Type.String(), url: Url, articleCount: Type.Integer({ minimum: 1, description: 'Published stories with this tag.' }) },
  { additionalProperties: false },
);

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'A stable code: not_found, gone, invalid_input, unauthenticated, forbidden, conflict, rate_limited, payload_too_large, internal.' }),
        message: Type.String(),
        fields: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Input field → what is wrong with it.' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'An error, with a stable code.' },
);

const NextCursor = Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' }));

const Moved = Type.Null({ description: 'Moved: the slug is a former one; Location has the current API URL.' });
const NotModified = Type.Null({ description: 'Not modified: the ETag in If-None-Match is still current.' });

/** Responses of a read: the body on 200, 304 for a current ETag, and the JSON error otherwise. */
const read = <T extends TSchema>(ok: T, extra: Record<number, TSchema> = {}) => ({ 200: ok, 304: NotModified, ...extra, '4xx': ErrorBody });

export const ArticleListResponse = read(Type.Object({ articles: Type.Array(ArticleSummary), nextCursor: NextCursor }, { additionalProperties: false }));
export const ArticleResponse = read(Type.Object({ article: Article }, { additionalProperties: false }), { 301: Moved });
export const DeskListResponse = read(Type.Object({ desks: Type.Array(Desk) }, { additionalProperties: false }));
export const DeskResponse = read(Type.Object({ desk: Desk }, { additionalProperties: false }), { 301: Moved });
export const PeopleResponse = read(Type.Object({ people: Type.Array(Person) }, { additionalProperties: false }));
export const PersonResponse = read(Type.Object({ person: Person }, { additionalProperties: false }));
export const TagListResponse = read(Type.Object({ tags: Type.Array(Tag), nextCursor: NextCursor }, { additionalProperties: false }));
export const TagResponse = read(Type.Object({ tag: Tag }, { additionalProperties: false }));

// ---- search -----------------------------------------------------------------------------------

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 1000, description: 'Words, "quoted phrases" and -excluded words.' }),
    desk: ArticlesQuery.properties.desk,
    author: ArticlesQuery.properties.author,
    from: ArticlesQuery.properties.from,
    to: ArticlesQuery.properties.to,
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1, description: 'Results go to page 50 (MAX_SEARCH_PAGE); narrow the search to see more.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'Results per page.' })),
  },
  { additionalProperties: false },
);
export type SearchQueryType = Static<typeof SearchQuery>;

const Highlighted = Type.Array(Type.Object({ text: Type.String(), mark: Type.Boolean({ description: 'A word searched for.' }) }, { additionalProperties: false }), {
  description: 'Plain text in pieces; the pieces with `mark` are what matched. Never HTML.',
});

export const SearchHit = Type.Object(
  {
    article: ArticleSummary,
    headline: Highlighted,
    snippet: { ...Highlighted, description: 'Where the words occur: a fragment of the body, else the dek, else the excerpt.' },
  },
  { additionalProperties: false },
);

export const SearchResponse = read(
  Type.Object(
    {
      query: Type.Object(
        {
          text: Type.String({ description: 'The query as searched: cleaned and cut to length.' }),
          truncated: Type.Boolean({ description: 'Part of a long query was left out.' }),
          problem: Nullable(
            Type.Union([Type.Literal('empty'), Type.Literal('common'), Type.Literal('only_excluded')], {
              description: 'Why nothing was searched: no words, only common words, or only excluded words.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      results: Type.Array(SearchHit),
      page: Type.Integer(),
      nextPage: Nullable(Type.Integer()),
      newestOnly: Type.Boolean({
        description:
          'Not every match was looked through, only the newest: older stories with these words may exist. Search further back with `from` and `to`.',
      }),
    },
    { additionalProperties: false },
  ),
);
