// Staff profiles for administrators: the list, and the form for a person or a collective with
// bio, photo and the ways to reach them (repeated rows: kind and value).
import { CONTACT_KINDS, CONTACT_LABELS, type Person } from '../../newsroom/people/types.ts';
import { AdminLayout, type AdminChrome } from './layout.tsx';
import { Csrf, FormNotice, TextArea, TextField, type FieldErrors, type Notice } from './settings.tsx';

export interface PeopleListView {
  people: Person[];
  notice?: Notice;
}

export function PeoplePage({ chrome, view }: { chrome: AdminChrome; view: PeopleListView }) {
  return (
    <AdminLayout chrome={chrome} title="People" section="people">
      <div class="page-head">
        <h1>People</h1>
        <a class="button" href="/admin/people/new">
          New profile
        </a>
      </div>
      <FormNotice notice={view.notice} />
      {view.people.length === 0 ? (
        <p class="empty">No staff profiles yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Staff profiles, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Ways to reach</th>
                <th scope="col">On the site</th>
              </tr>
            </thead>
            <tbody>
              {view.people.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={`/admin/people/${p.id}`}>{p.name}</a>
                  </td>
                  <td>{p.title}</td>
                  <td>{p.kind === 'collective' ? 'Collective' : 'Person'}</td>
                  <td>{p.contacts.map((c) => CONTACT_LABELS[c.kind]).join(', ')}</td>
                  <td>
                    <a href={`/author/${p.slug}`}>
                      /author/{p.slug}
                      <span class="visually-hidden"> ({p.name}’s public page)</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminLayout>
  );
}

export interface PersonForm {
  name: string;
  slug: string;
  kind: string;
  title: string;
  bio: string;
  photoUrl: string;
  contacts: Array<{ kind: string; value: string }>;
}

export interface PersonEditView {
  /** null for a new profile. */
  id: number | null;
  slug: string | null;
  form: PersonForm;
  errors: FieldErrors;
  notice?: Notice;
}

/** Rows always offer three empty ones to add ways to reach the profile. */
export const EMPTY_CONTACT_ROWS = 3;

const FIELD_IDS = { name: 'person-name', slug: 'person-slug', kind: 'kind-person', title: 'person-title', bio: 'person-bio', photoUrl: 'person-photo', contacts: 'contact-value-0' };

/** Whether a contact error message speaks about this row (the domain names the value or the kind). */
const rowNamed = (error: string | undefined, row: { kind: string; value: string }) =>
  Boolean(error && row.value.trim() && (error.includes(`"${row.value.trim()}"`) || error.includes(`The ${row.kind} contact`)));

export function PersonEditPage({ chrome, view }: { chrome: AdminChrome; view: PersonEditView }) {
  const { form, errors } = view;
  const isNew = view.id === null;
  const rows = [...form.contacts.filter((c) => c.value.trim() !== ''), ...Array.from({ length: EMPTY_CONTACT_ROWS }, () => ({ kind: 'email', value: '' }))];
  const title = isNew ? 'New profile' : `Edit ${form.name || 'profile'}`;
  return (
    <AdminLayout chrome={chrome} title={title} section="people">
      <p class="breadcrumb">
        <a href="/admin/people">People</a>
      </p>
      <h1>{title}</h1>
      <FormNotice notice={view.notice} errors={errors} fieldIds={FIELD_IDS} />
      <form method="post" action={isNew ? '/admin/people' : `/admin/people/${view.id}`} class="panel narrow" novalidate>
        <Csrf chrome={chrome} />
        <TextField id="person-name" name="name" label="Name" value={form.name} error={errors.name} required maxLength={200} autocomplete="off" />
        {isNew ? (
          <TextField id="person-slug" name="slug" label="Address" value={form.slug} error={errors.slug} maxLength={120} hint="The profile's page is /author/{address}. Made from the name when empty; it does not change later." spellcheck={false} />
        ) : (
          <p class="meta">
            Public page: <a href={`/author/${view.slug}`}>/author/{view.slug}</a>
          </p>
        )}
        <fieldset class="field" aria-describedby={errors.kind ? 'kind-error' : 'kind-hint'}>
          <legend class="label">Kind</legend>
          <label class="choice">
            <input id="kind-person" type="radio" name="kind" value="person" checked={form.kind !== 'collective'} aria-invalid={errors.kind ? 'true' : undefined} /> A person
          </label>
          <label class="choice">
            <input type="radio" name="kind" value="collective" checked={form.kind === 'collective'} aria-invalid={errors.kind ? 'true' : undefined} /> A collective (a team that signs together, such as the editorial staff)
          </label>
          <p class="hint" id="kind-hint">
            Only people can edit a desk.
          </p>
          {errors.kind ? (
            <p class="error" id="kind-error">
              {errors.kind}
            </p>
          ) : null}
        </fieldset>
        <TextField id="person-title" name="title" label="Title" value={form.title} error={errors.title} maxLength={200} hint="Journalist, news-writer, analyst, editor…" />
        <TextArea id="person-bio" name="bio" label="Bio" value={form.bio} error={errors.bio} rows={5} maxLength={10_000} hint="Shown in the author box under each story and on the author page." />
        <TextField id="person-photo" name="photoUrl" label="Photo URL" value={form.photoUrl} error={errors.photoUrl} maxLength={2000} inputMode="url" hint="A site path such as /media/… or an https:// address." spellcheck={false} />
        <fieldset class="field contacts" aria-describedby={errors.contacts ? 'contacts-error contacts-hint' : 'contacts-hint'}>
          <legend class="label">Ways to reach {form.kind === 'collective' ? 'them' : 'this person'}</legend>
          <p class="hint" id="contacts-hint">
            One per row; leave a row’s value empty to remove it. Save to get three more empty rows.
          </p>
          {errors.contacts ? (
            <p class="error" id="contacts-error">
              {errors.contacts}
            </p>
          ) : null}
          {rows.map((row, i) => {
            const invalid = rowNamed(errors.contacts, row);
            return (
              <div class="contact-row" key={i} role="group" aria-label={`Contact way ${i + 1}`}>
                <div>
                  <label for={`contact-kind-${i}`}>Kind {i + 1}</label>
                  <select id={`contact-kind-${i}`} name="contactKind">
                    {CONTACT_KINDS.map((k) => (
                      <option key={k} value={k} selected={row.kind === k}>
                        {CONTACT_LABELS[k]}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label for={`contact-value-${i}`}>Address or number {i + 1}</label>
                  <input
                    id={`contact-value-${i}`}
                    name="contactValue"
                    type="text"
                    value={row.value}
                    maxLength={300}
                    spellcheck={false}
                    aria-invalid={invalid ? 'true' : undefined}
                    aria-describedby={invalid ? 'contacts-error' : undefined}
                  />
                </div>
              </div>
            );
          })}
        </fieldset>
        <button class="button" type="submit">
          {isNew ? 'Add profile' : 'Save profile'}
        </button>
      </form>
    </AdminLayout>
  );
}
