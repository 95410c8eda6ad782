// Who is acting: the signed-in user as the workflow and its policies see them.
import type { Role } from '../users.ts';

export interface Actor {
  userId: number;
  email: string;
  role: Role;
  /** The staff profile this account writes as, if any. */
  personId: number | null;
}

/** The account as the account pages show it (never the password hash or the TOTP secret). */
export interface Account extends Actor {
  displayName: string;
  createdAt: string;
  twoFactorEnabled: boolean;
  disabled: boolean;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
