// The search page: the form with its filters, then the results with the words found marked.
// Highlighted text arrives as segments and is rendered as <mark> elements: every character of
// headlines and snippets is escaped like any other text.
import type { Desk } from '../../newsroom/desks/types.ts';
import type { Person } from '../../newsroom/people/types.ts';
import { SEARCH_PAGE_SIZE, type Highlighted, type SearchHit, type SearchResults } from '../../search/index.ts';
import { MAX_INPUT } from '../../search/query.ts';
import { parseDay, type SearchField, type SearchValues } from '../../search/params.ts';
import { paths } from '../paths.ts';
import { Bylines, RelativeTime } from './components.tsx';
import { Layout, type Chrome } from './layout.tsx';

export const SEARCH_PATH = paths.search();

export interface SearchPageData {
  values: SearchValues;
  errors: Partial<Record<SearchField, string>>;
  desks: Desk[];
  people: Person[];
  /** Absent when nothing was searched (no words, or a field to fix first). */
  results?: SearchResults;
}

/** The URL of these values, without empty fields; `page` only past the first. */
export function searchHref(values: SearchValues, page = 1): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value.trim()) params.set(key, value.trim());
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${SEARCH_PATH}?${query}` : SEARCH_PATH;
}

export function Marked({ text }: { text: Highlighted }) {
  return <>{text.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text))}</>;
}

const PROBLEMS = {
  empty: 'Type one or more words to search for.',
  common: 'Those words are too common to search for on their own. Add a more specific word.',
  only_excluded: 'A minus sign leaves a word out of the results. Add a word to search for as well.',
} as const;

function title(data: SearchPageData): string {
  const q = data.results && !data.results.query.problem ? data.results.query.text : '';
  if (!q) return 'Search';
  const page = data.results && data.results.page > 1 ? ` (page ${data.results.page})` : '';
  return `Search: ${q.length > 60 ? `${q.slice(0, 60)}…` : q}${page}`;
}

export function SearchPage({ chrome, data }: { chrome: Chrome; data: SearchPageData }) {
  const errors = Object.values(data.errors);
  return (
    <Layout chrome={chrome} meta={{ title: title(data), noindex: true, description: `Search the stories of ${chrome.siteName}.` }}>
      <header class="page-header">
        <h1>Search</h1>
      </header>
      <SearchForm data={data} />
      {errors.length > 0 ? (
        <div class="search-errors" role="alert">
          <p class="error">Please correct the search:</p>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {data.results ? <Results results={data.results} values={data.values} chrome={chrome} /> : null}
    </Layout>
  );
}

function SearchForm({ data }: { data: SearchPageData }) {
  const { values, errors } = data;
  const invalid = (field: SearchField) =>
    errors[field] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `search-${field}-error` } : {};
  const fieldError = (field: SearchField) =>
    errors[field] ? (
      <p class="error" id={`search-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  return (
    <form class="form search-form" role="search" method="get" action={SEARCH_PATH} aria-label="Search stories">
      <div>
        <label for="search-q">Words to find</label>
        <input id="search-q" type="search" name="q" value={values.q.slice(0, 2 * MAX_INPUT)} maxLength={2 * MAX_INPUT} aria-describedby="search-q-hint" {...invalid('q')} />
        <p class="hint" id="search-q-hint">
          Put a phrase in "quotes"; put a minus sign before a word to leave it out (-sport).
        </p>
        {fieldError('q')}
      </div>
      <div>
        <label for="search-desk">Desk</label>
        <select id="search-desk" name="desk" {...invalid('desk')}>
          <option value="">All desks</option>
          {data.desks.map((d) => (
            <option key={d.id} value={d.slug} selected={d.slug === values.desk}>
              {d.name}
            </option>
          ))}
        </select>
        {fieldError('desk')}
      </div>
      <div>
        <label for="search-author">Author</label>
        <select id="search-author" name="author" {...invalid('author')}>
          <option value="">Anyone</option>
          {data.people.map((p) => (
            <option key={p.id} value={p.slug} selected={p.slug === values.author}>
              {p.name}
            </option>
          ))}
        </select>
        {fieldError('author')}
      </div>
      {/* A date input holds only a real day; a wrong one is quoted in its error message instead. */}
      <fieldset class="search-dates">
        <legend>Published between</legend>
        <div>
          <label for="search-from">From</label>
          <input id="search-from" type="date" name="from" value={parseDay(values.from) ? values.from.trim() : ''} {...invalid('from')} />
          {fieldError('from')}
        </div>
        <div>
          <label for="search-to">To</label>
          <input id="search-to" type="date" name="to" value={parseDay(values.to) ? values.to.trim() : ''} {...invalid('to')} />
          {fieldError('to')}
        </div>
      </fieldset>
      {fieldError('page')}
      <div>
        <button class="button" type="submit">
          Search
        </button>
      </div>
    </form>
  );
}

function Results({ results, values, chrome }: { results: SearchResults; values: SearchValues; chrome: Chrome }) {
  const { query } = results;
  return (
    <section class="search-results" aria-labelledby="search-results-title">
      <h2 class="section-title" id="search-results-title">
        Results
      </h2>
      {query.truncated && !query.problem ? (
        <p class="meta">Your search was long: only its first words were used.</p>
      ) : null}
      {query.problem ? (
        <p class="empty">{PROBLEMS[query.problem]}</p>
      ) : results.hits.length === 0 ? (
        <NoResults page={results.page} text={query.text} cut={results.cut} />
      ) : (
        <>
          <p class="meta">
            {results.page > 1 ? `Page ${results.page} of the stories` : 'Stories'} matching “{query.text}”, best matches first.
          </p>
          <ol class="story-list" start={(results.page - 1) * SEARCH_PAGE_SIZE + 1}>
            {results.hits.map((hit) => (
              <Hit key={hit.story.id} hit={hit} chrome={chrome} />
            ))}
          </ol>
          <SearchPagination values={{ ...values, q: query.text }} page={results.page} more={results.more} />
        </>
      )}
    </section>
  );
}

/** Said when not every match was looked through (src/search/bands.ts): older ones may exist. */
const SEARCHED_NEWEST = 'Only the newest stories with these words were looked through: choose dates under “Published between” to search further back.';

function NoResults({ page, text, cut }: { page: number; text: string; cut: boolean }) {
  if (cut) {
    return (
      <div class="empty">
        <p>{page > 1 ? `No more stories matching “${text}” were found` : `No story matching “${text}” was found`} among the newest ones looked through.</p>
        <p>{SEARCHED_NEWEST}</p>
      </div>
    );
  }
  if (page > 1) return <p class="empty">There are no more stories matching “{text}”.</p>;
  return (
    <div class="empty">
      <p>No published story matches “{text}”.</p>
      <p>Check the spelling, use fewer or more general words, or widen the filters.</p>
    </div>
  );
}

function Hit({ hit, chrome }: { hit: SearchHit; chrome: Chrome }) {
  const { story } = hit;
  return (
    <li>
      {story.kicker ? <p class="kicker">{story.kicker}</p> : null}
      <h3>
        <a href={paths.article(story)}>
          <Marked text={hit.headline} />
        </a>
      </h3>
      <p>
        <Marked text={hit.snippet} />
      </p>
      <p class="meta">
        <a href={paths.desk(story.desk.slug)}>{story.desk.name}</a> · {story.bylines.length > 0 ? <><Bylines bylines={story.bylines} /> · </> : null}
        <RelativeTime at={story.publishedAt} locale={chrome.locale} />
      </p>
    </li>
  );
}

function SearchPagination({ values, page, more }: { values: SearchValues; page: number; more: boolean }) {
  if (page <= 1 && !more) return null;
  return (
    <nav class="pagination" aria-label="Result pages">
      {page > 1 ? (
        <a href={searchHref(values, page - 1)} rel="prev">
          <span aria-hidden="true">←</span> Better matches
        </a>
      ) : (
        <span />
      )}
      <span class="meta">Page {page}</span>
      {more ? (
        <a href={searchHref(values, page + 1)} rel="next">
          More results <span aria-hidden="true">→</span>
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
