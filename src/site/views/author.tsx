import type { Person } from '../../newsroom/people/types.ts';
import { Avatar, ContactList } from './components.tsx';

export function AuthorHeader({ person }: { person: Person }) {
  return (
    <div class="profile">
      <Avatar person={person} size={96} />
      <div>
        <p class="kicker">{person.kind === 'collective' ? 'Editorial team' : person.title || 'Author'}</p>
        <h1>{person.name}</h1>
        {person.bio ? <p>{person.bio}</p> : null}
        <ContactList person={person} label={`Contact ${person.name}`} />
      </div>
    </div>
  );
}
