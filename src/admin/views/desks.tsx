// Desks for administrators: the list with their editors, and the form for a desk (name, address,
// description, contact email, position in the menus, editors in order).
import type { DeskWithEditors } from '../../newsroom/admin/desks.ts';
import type { Person } from '../../newsroom/people/types.ts';
import { AdminLayout, type AdminChrome } from './layout.tsx';
import { Csrf, FormNotice, TextArea, TextField, type FieldErrors, type Notice } from './settings.tsx';

export interface DeskListView {
  desks: DeskWithEditors[];
  notice?: Notice;
}

export function DesksPage({ chrome, view }: { chrome: AdminChrome; view: DeskListView }) {
  return (
    <AdminLayout chrome={chrome} title="Desks" section="desks">
      <div class="page-head">
        <h1>Desks</h1>
        <a class="button" href="/admin/desks/new">
          New desk
        </a>
      </div>
      <FormNotice notice={view.notice} />
      {view.desks.length === 0 ? (
        <p class="empty">No desks yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Desks, in the order the site lists them</caption>
            <thead>
              <tr>
                <th scope="col">Desk</th>
                <th scope="col">Address</th>
                <th scope="col">Editors</th>
                <th scope="col">Email</th>
                <th scope="col">Position</th>
              </tr>
            </thead>
            <tbody>
              {view.desks.map((d) => (
                <tr key={d.id}>
                  <td>
                    <a href={`/admin/desks/${d.id}`}>{d.name}</a>
                  </td>
                  <td>
                    <a href={`/${d.slug}`}>
                      /{d.slug}
                      <span class="visually-hidden"> ({d.name} on the site)</span>
                    </a>
                  </td>
                  <td>{d.editors.length ? d.editors.map((e) => e.name).join(', ') : <span class="meta">none</span>}</td>
                  <td>{d.email ?? ''}</td>
                  <td>{d.position}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminLayout>
  );
}

export interface DeskForm {
  name: string;
  slug: string;
  description: string;
  email: string;
  position: string;
  editorIds: string[];
}

export interface DeskEditView {
  id: number | null;
  /** The slug stored now (for an existing desk). */
  currentSlug: string | null;
  form: DeskForm;
  /** People who may edit a desk (collectives cannot). */
  people: Person[];
  errors: FieldErrors;
  notice?: Notice;
}

const FIELD_IDS = { name: 'desk-name', slug: 'desk-slug', description: 'desk-description', email: 'desk-email', position: 'desk-position', personIds: 'desk-editor-0' };

export function DeskEditPage({ chrome, view }: { chrome: AdminChrome; view: DeskEditView }) {
  const { form, errors } = view;
  const isNew = view.id === null;
  const title = isNew ? 'New desk' : `Edit the ${form.name || 'desk'} desk`;
  // Every chosen editor, then two empty choices (at least three rows).
  const chosen = form.editorIds.filter(Boolean);
  const rows = Math.max(chosen.length + 2, 3);
  return (
    <AdminLayout chrome={chrome} title={title} section="desks">
      <p class="breadcrumb">
        <a href="/admin/desks">Desks</a>
      </p>
      <h1>{title}</h1>
      <FormNotice notice={view.notice} errors={errors} fieldIds={FIELD_IDS} />
      <form method="post" action={isNew ? '/admin/desks' : `/admin/desks/${view.id}`} class="panel narrow" novalidate>
        <Csrf chrome={chrome} />
        <TextField id="desk-name" name="name" label="Name" value={form.name} error={errors.name} required maxLength={100} />
        <TextField
          id="desk-slug"
          name="slug"
          label="Address"
          value={form.slug}
          error={errors.slug}
          maxLength={120}
          spellcheck={false}
          hint={
            isNew
              ? 'The desk’s page is /{address}. Made from the name when empty.'
              : `Now /${view.currentSlug}. A new name brings a new address unless you change this one; the old address keeps redirecting to the new one.`
          }
        />
        <TextArea id="desk-description" name="description" label="Description" value={form.description} error={errors.description} rows={3} maxLength={1000} hint="Shown on the desk’s page and the staff page." />
        <TextField id="desk-email" name="email" label="Desk email" type="email" value={form.email} error={errors.email} maxLength={254} autocomplete="off" hint="Shown on the staff page; readers’ messages still arrive in the inbox." />
        <TextField id="desk-position" name="position" label="Position" type="number" inputMode="numeric" min={0} max={10_000} value={form.position} error={errors.position} hint="Desks are listed from the lowest number up." />
        <fieldset class="field" aria-describedby={errors.personIds ? 'editors-error editors-hint' : 'editors-hint'}>
          <legend class="label">Editors, in order</legend>
          <p class="hint" id="editors-hint">
            The editors approve and publish the desk’s stories, read its messages and are listed on the staff page. Choose “None” to remove one.
          </p>
          {errors.personIds ? (
            <p class="error" id="editors-error">
              {errors.personIds}
            </p>
          ) : null}
          <div class="grid three">
            {Array.from({ length: rows }, (_, i) => (
              <div key={i}>
                <label for={`desk-editor-${i}`}>Editor {i + 1}</label>
                <select id={`desk-editor-${i}`} name="editorIds" aria-invalid={errors.personIds && chosen[i] ? 'true' : undefined}>
                  <option value="">None</option>
                  {view.people.map((p) => (
                    <option key={p.id} value={String(p.id)} selected={chosen[i] === String(p.id)}>
                      {p.name}
                      {p.title ? ` (${p.title})` : ''}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </fieldset>
        <button class="button" type="submit">
          {isNew ? 'Add desk' : 'Save desk'}
        </button>
      </form>
    </AdminLayout>
  );
}
