// Who may do what to which story: the one place the newsroom's permissions are decided.
// Commands ask here before they write; UIs ask here to decide which buttons to show.
import type { Role } from '../users.ts';
import type { Status } from '../articles/types.ts';

/** The signed-in user as the domain sees them. */
export interface Actor {
  userId: number;
  role: Role;
  personId: number | null;
}

export const COMMANDS = ['create', 'edit', 'submit', 'request_changes', 'approve', 'schedule', 'publish', 'update', 'correct', 'unpublish', 'restore'] as const;
export type Command = (typeof COMMANDS)[number];

/** What the policy needs to know about a story and the actor's relation to it. */
export interface StoryContext {
  status: Status;
  /** The actor wrote it: created it, or is in its byline. */
  own: boolean;
  /** The actor edits the story's desk. */
  editsDesk: boolean;
}

/** Commands only an editor with authority over the story's desk may run. */
const EDITORIAL: ReadonlySet<Command> = new Set(['request_changes', 'approve', 'schedule', 'publish', 'update', 'correct', 'unpublish', 'restore']);

/** The statuses each command starts from. */
export const FROM: Record<Command, readonly Status[]> = {
  create: [],
  edit: ['draft', 'changes_requested', 'submitted', 'approved', 'scheduled'],
  submit: ['draft', 'changes_requested'],
  request_changes: ['submitted', 'approved', 'scheduled'],
  approve: ['submitted'],
  schedule: ['submitted', 'approved'],
  publish: ['submitted', 'approved', 'scheduled'],
  update: ['published'],
  correct: ['published'],
  unpublish: ['published', 'scheduled'],
  restore: ['unpublished'],
};

export const TO: Record<Command, Status | null> = {
  create: 'draft',
  edit: null,
  submit: 'submitted',
  request_changes: 'changes_requested',
  approve: 'approved',
  schedule: 'scheduled',
  publish: 'published',
  update: 'published',
  correct: 'published',
  unpublish: 'unpublished',
  restore: 'draft',
};

export const hasEditorialAuthority = (actor: Actor, story: Pick<StoryContext, 'editsDesk'>): boolean =>
  actor.role === 'admin' || actor.role === 'managing_editor' || (actor.role === 'desk_editor' && story.editsDesk);

/**
 * Whether the role and the actor's relation to the story allow the command (not whether the
 * story's status does: see FROM). Contributors work on their own drafts; editors on their desks.
 */
export function allowed(actor: Actor, command: Command, story: StoryContext | null): boolean {
  if (command === 'create') return true;
  if (!story) return false;
  if (hasEditorialAuthority(actor, story)) return true;
  if (EDITORIAL.has(command)) return false;
  // A writer edits and submits their own story until it is in review.
  return story.own && (command === 'submit' || (command === 'edit' && (story.status === 'draft' || story.status === 'changes_requested')));
}

export const canCurateFrontPage = (actor: Actor) => actor.role === 'admin' || actor.role === 'managing_editor';
export const canAdminister = (actor: Actor) => actor.role === 'admin';
