export interface DemoStory {
  slug: string;
  headline: string;
  kicker: string;
  /** Desk slug. */
  desk: string;
  tags: string[];
  /** People slugs, in byline order. */
  bylines: string[];
  bodyHtml: string;
  /** How long before the first run the story was published. */
  ageMinutes: number;
}
