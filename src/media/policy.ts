// Who may do what in the media library: every signed-in role uploads and reuses images; the
// uploader or an editor fixes their text; only editors delete.
import type { Actor } from '../newsroom/auth/types.ts';
import type { Media } from './types.ts';

type Who = Pick<Actor, 'userId' | 'role'>;

const isEditor = (actor: Who) => actor.role === 'desk_editor' || actor.role === 'managing_editor' || actor.role === 'admin';

export const canUploadMedia = (_actor: Who) => true;
export const canEditMediaText = (actor: Who, media: Pick<Media, 'uploadedBy'>) => isEditor(actor) || media.uploadedBy === actor.userId;
export const canDeleteMedia = (actor: Who) => isEditor(actor);
