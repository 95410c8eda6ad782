// What a public answer shows, as the cache tags of src/newsroom/changes.ts: a page carries the
// tags of everything on it, so any change to any of it drops the page and nothing else.
import { TAGS } from '../newsroom/changes.ts';

/** Every page's frame: site name, desks in the navigation, the breaking-news banner. */
export const CHROME_TAGS = [TAGS.site, TAGS.breaking];

interface Shown {
  id: number;
  bylines: Array<{ slug: string }>;
}

/** The stories on a page, and the people in their bylines. */
export function shownTags(stories: Shown[]): string[] {
  const tags: string[] = [];
  for (const story of stories) {
    tags.push(TAGS.story(story.id));
    for (const byline of story.bylines) tags.push(TAGS.person(byline.slug));
  }
  return tags;
}

export { TAGS };
