import type { Desk } from '../../newsroom/desks/types.ts';
import type { Person } from '../../newsroom/people/types.ts';
import { paths } from '../paths.ts';
import { Avatar, ContactList } from './components.tsx';
import { Layout, type Chrome } from './layout.tsx';

export interface StaffData {
  desks: Array<{ desk: Desk; editors: Person[] }>;
  collectives: Person[];
  people: Person[];
}

function PersonLine({ person }: { person: Person }) {
  return (
    <li class="profile">
      <Avatar person={person} size={56} />
      <div>
        <a href={paths.author(person.slug)}>
          <strong>{person.name}</strong>
        </a>
        {person.title ? <span class="meta"> · {person.title}</span> : null}
        <ContactList person={person} label={`Contact ${person.name}`} />
      </div>
    </li>
  );
}

export function StaffPage({ chrome, data }: { chrome: Chrome; data: StaffData }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Staff and editors', description: `The desks, editors and staff of ${chrome.siteName}, and how to reach them.`, canonical: paths.staff() }}>
      <header class="page-header">
        <h1>Staff and editors</h1>
        <p>The editor of each desk answers for what the desk publishes and can be contacted directly, or through our contact form.</p>
      </header>
      <h2 class="section-title">Desks and their editors</h2>
      <div class="staff-desks">
        {data.desks.map(({ desk, editors }) => (
          <section class="card" key={desk.id} aria-labelledby={`staff-desk-${desk.slug}`}>
            <h3 id={`staff-desk-${desk.slug}`}>
              <a href={paths.desk(desk.slug)}>{desk.name}</a>
            </h3>
            {desk.description ? <p>{desk.description}</p> : null}
            <p>
              {desk.email ? (
                <>
                  Desk email: <a href={`mailto:${desk.email}`}>{desk.email}</a> ·{' '}
                </>
              ) : null}
              <a href={paths.contact(desk.slug)}>Write to the {desk.name} desk</a>
            </p>
            {editors.length > 0 ? (
              <ul class="editors" aria-label={`Editors of ${desk.name}`}>
                {editors.map((p) => (
                  <PersonLine key={p.id} person={p} />
                ))}
              </ul>
            ) : (
              <p class="empty">No editor is listed for this desk yet.</p>
            )}
          </section>
        ))}
      </div>
      {data.collectives.length > 0 ? (
        <>
          <h2 class="section-title">Editorial teams</h2>
          <div class="staff-desks">
            {data.collectives.map((p) => (
              <section class="card" key={p.id} id={p.slug} aria-labelledby={`team-${p.slug}`}>
                <h3 id={`team-${p.slug}`}>
                  <a href={paths.author(p.slug)}>{p.name}</a>
                </h3>
                {p.bio ? <p>{p.bio}</p> : null}
                <ContactList person={p} label={`Contact ${p.name}`} />
              </section>
            ))}
          </div>
        </>
      ) : null}
      {data.people.length > 0 ? (
        <>
          <h2 class="section-title">Journalists, writers and analysts</h2>
          <ul class="editors staff-desks">
            {data.people.map((p) => (
              <PersonLine key={p.id} person={p} />
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
