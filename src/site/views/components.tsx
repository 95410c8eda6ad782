// Small parts shared by several pages.
import type { ArticleSummary, BylineRef, LeadImage } from '../../newsroom/articles/types.ts';
import { contactHref, CONTACT_LABELS, type Person } from '../../newsroom/people/types.ts';
import { pictureFromUrl } from '../../media/picture.ts';
import { paths } from '../paths.ts';
import { formatDateTime, initials, type Locale } from './format.ts';

/** An absolute time the browser turns into "20 minutes ago" (src/site/client/relative-time.ts). */
export function RelativeTime({ at, locale }: { at: string; locale: Locale }) {
  return (
    <time datetime={at} data-relative="">
      {formatDateTime(at, locale)}
    </time>
  );
}

export function Bylines({ bylines }: { bylines: BylineRef[] }) {
  if (bylines.length === 0) return null;
  return (
    <span class="byline">
      By{' '}
      {bylines.map((b, i) => (
        <>
          {i > 0 ? (i === bylines.length - 1 ? ' and ' : ', ') : null}
          <a href={paths.author(b.slug)} rel="author">
            {b.name}
          </a>
        </>
      ))}
    </span>
  );
}

export function Avatar({ person, size = 72 }: { person: Pick<Person, 'name' | 'photoUrl'>; size?: number }) {
  return person.photoUrl ? (
    <img src={person.photoUrl} alt="" width={size} height={size} loading="lazy" decoding="async" />
  ) : (
    <span class="avatar" aria-hidden="true">
      {initials(person.name)}
    </span>
  );
}

export function ContactList({ person, label }: { person: Person; label: string }) {
  if (person.contacts.length === 0) return null;
  return (
    <ul class="contacts" aria-label={label}>
      {person.contacts.map((c) => {
        const href = contactHref(c);
        return (
          <li key={`${c.kind}:${c.value}`}>
            {CONTACT_LABELS[c.kind]}: {href ? <a href={href}>{c.value}</a> : c.value}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A lead image. One from the media library (`/media/<key>/<w>x<h>.jpg|png`) becomes a
 * `<picture>`: AVIF and WebP sources, then the JPEG or PNG fallback, each with `srcset` and
 * `sizes` (src/media/picture.ts). Any other URL stays one `<img>` without `srcset`, and HTML
 * allows `sizes` only beside a `srcset`, so none is written; the CSS makes images fluid.
 */
export function Picture({ image, eager = false, sizes }: { image: LeadImage; eager?: boolean; sizes?: string }) {
  const priority = eager ? ({ fetchpriority: 'high' } as const) : {};
  const picture = pictureFromUrl(image.url, sizes);
  if (!picture) {
    return <img src={image.url} alt={image.alt} loading={eager ? 'eager' : 'lazy'} decoding="async" width={1200} height={675} {...priority} />;
  }
  return (
    <picture>
      {picture.sources.map((source) => (
        <source key={source.type} type={source.type} srcset={source.srcset} sizes={picture.sizes} />
      ))}
      <img
        src={picture.src}
        srcset={picture.srcset}
        sizes={picture.sizes}
        alt={image.alt}
        width={picture.width}
        height={picture.height}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
        {...priority}
      />
    </picture>
  );
}

/** A compact list item: headline, excerpt, relative time (Recent Posts, listings). */
export function StoryItem({ story, locale, level = 3, showDesk = false }: { story: ArticleSummary; locale: Locale; level?: 2 | 3; showDesk?: boolean }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <li>
      {story.kicker ? <p class="kicker">{story.kicker}</p> : null}
      <Heading>
        <a href={paths.article(story)}>{story.headline}</a>
      </Heading>
      <p>{story.excerpt}</p>
      <p class="meta">
        {showDesk ? (
          <>
            <a href={paths.desk(story.desk.slug)}>{story.desk.name}</a> ·{' '}
          </>
        ) : null}
        <RelativeTime at={story.publishedAt} locale={locale} />
      </p>
    </li>
  );
}

export function StoryList({ stories, locale, level = 3, showDesk = false, empty }: {
  stories: ArticleSummary[];
  locale: Locale;
  level?: 2 | 3;
  showDesk?: boolean;
  empty?: string;
}) {
  if (stories.length === 0) return <p class="empty">{empty ?? 'No stories yet.'}</p>;
  return (
    <ul class="story-list">
      {stories.map((s) => (
        <StoryItem key={s.id} story={s} locale={locale} level={level} showDesk={showDesk} />
      ))}
    </ul>
  );
}

export function RecentPosts({ stories, locale }: { stories: ArticleSummary[]; locale: Locale }) {
  return (
    <aside class="recent-posts" aria-labelledby="recent-posts-title">
      <h2 class="section-title" id="recent-posts-title">
        Recent Posts
      </h2>
      <StoryList stories={stories} locale={locale} />
    </aside>
  );
}

export function Pagination({ base, page, more }: { base: string; page: number; more: boolean }) {
  if (page <= 1 && !more) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      {page > 1 ? (
        <a href={paths.page(base, page - 1)} rel="prev">
          <span aria-hidden="true">←</span> Newer stories
        </a>
      ) : (
        <span />
      )}
      <span class="meta">Page {page}</span>
      {more ? (
        <a href={paths.page(base, page + 1)} rel="next">
          Older stories <span aria-hidden="true">→</span>
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
