// Workflow transitions as URLs name them (`/request-changes` for the request_changes command),
// one table for the newsroom's pages and its API.
import type { Command } from '../newsroom/workflow/policy.ts';

/** A command that moves a story along the workflow (not create or edit). */
export type Transition = Exclude<Command, 'create' | 'edit'>;

export const TRANSITION_SEGMENTS = {
  submit: 'submit',
  'request-changes': 'request_changes',
  approve: 'approve',
  schedule: 'schedule',
  publish: 'publish',
  update: 'update',
  correct: 'correct',
  unpublish: 'unpublish',
  restore: 'restore',
} as const satisfies Record<string, Transition>;

export type TransitionSegment = keyof typeof TRANSITION_SEGMENTS;

/** The command a URL segment names; own keys only, so "constructor" names nothing. */
export function transitionFor(segment: string): Transition | undefined {
  return Object.hasOwn(TRANSITION_SEGMENTS, segment) ? TRANSITION_SEGMENTS[segment as TransitionSegment] : undefined;
}
