// Request shapes of the newsroom API, schema first; types are inferred from them.
import { Type, type Static } from '@sinclair/typebox';
import { STATUSES } from '../../newsroom/articles/types.ts';
import { TRANSITION_SEGMENTS, type TransitionSegment } from '../../http/transitions.ts';

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) });
export const TransitionParams = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,12}$' }),
  action: Type.Union((Object.keys(TRANSITION_SEGMENTS) as TransitionSegment[]).map((a) => Type.Literal(a))),
});
export type TransitionParamsType = Static<typeof TransitionParams>;

export const RevisionParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }), version: Type.String({ pattern: '^[0-9]{1,9}$' }) });

const LeadImage = Type.Object(
  { url: Type.String({ maxLength: 2000 }), alt: Type.String({ maxLength: 500 }), caption: Type.String({ maxLength: 1000 }), credit: Type.String({ maxLength: 300 }) },
  { additionalProperties: false },
);

export const StoryFields = Type.Object(
  {
    headline: Type.String({ maxLength: 1000 }),
    deskId: Type.Integer({ minimum: 1 }),
    slug: Type.Optional(Type.String({ maxLength: 300 })),
    kicker: Type.Optional(Type.String({ maxLength: 300 })),
    dek: Type.Optional(Type.String({ maxLength: 2000 })),
    bodyHtml: Type.Optional(Type.String({ maxLength: 2_000_000 })),
    excerpt: Type.Optional(Type.String({ maxLength: 2000 })),
    leadImage: Type.Optional(Type.Union([LeadImage, Type.Null()])),
    language: Type.Optional(Type.String({ maxLength: 35 })),
    bylineIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
    seoTitle: Type.Optional(Type.String({ maxLength: 1000 })),
    seoDescription: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type StoryFieldsBody = Static<typeof StoryFields>;

export const SaveBody = Type.Object({ baseVersion: Type.Integer({ minimum: 1 }), story: StoryFields }, { additionalProperties: false });
export type SaveBodyType = Static<typeof SaveBody>;

export const TransitionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 5000 })),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    embargoUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    baseVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    story: Type.Optional(StoryFields),
  },
  { additionalProperties: false },
);
export type TransitionBodyType = Static<typeof TransitionBody>;

export const RestoreBody = Type.Object({ baseVersion: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    desk: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })),
    mine: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
  },
  { additionalProperties: false },
);
export type ListQueryType = Static<typeof ListQuery>;

export const DiffQuery = Type.Object({ from: Type.String({ pattern: '^[0-9]{1,9}$' }), to: Type.String({ pattern: '^[0-9]{1,9}$' }) });

export const LockBody = Type.Object({ takeover: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type LockBodyType = Static<typeof LockBody>;

export const FrontPageBody = Type.Object({ articleIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 }) }, { additionalProperties: false });
export type FrontPageBodyType = Static<typeof FrontPageBody>;

export const BreakingBody = Type.Object(
  { headline: Type.String({ maxLength: 1000 }), url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])), expiresAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type BreakingBodyType = Static<typeof BreakingBody>;
