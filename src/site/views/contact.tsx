import type { ComponentChildren } from 'preact';
import type { Desk } from '../../newsroom/desks/types.ts';
import { MESSAGE_LIMITS, type MessageField } from '../../newsroom/contact/messages.ts';
import { paths } from '../paths.ts';
import { Layout, type Chrome } from './layout.tsx';
import { describedBy, HintAndError } from '../../http/views/form.tsx';

/** The form's values exactly as typed; `desk` is the chosen desk's id. */
export type ContactValues = Record<MessageField, string>;

export interface ContactForm {
  values: ContactValues;
  errors: Partial<Record<MessageField, string>>;
  csrf: string;
  /** A problem with the whole form, such as an expired CSRF token. */
  notice?: string;
}

const FIELD_LABELS: Record<MessageField, string> = {
  desk: 'Desk',
  name: 'Your name',
  email: 'Your email address',
  subject: 'Subject',
  body: 'Your message',
};

const FIELD_ORDER = Object.keys(FIELD_LABELS) as MessageField[];

const idOf = (field: MessageField | 'website') => `contact-${field}`;

/** aria-invalid and aria-describedby for a control, pointing at its hint and error. */
function described(field: MessageField, hasHint: boolean, error: string | undefined) {
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy(idOf(field), hasHint, error) };
}

function Field({ field, hint, error, children }: { field: MessageField; hint?: string; error: string | undefined; children: ComponentChildren }) {
  return (
    <div>
      <label for={idOf(field)}>{FIELD_LABELS[field]}</label>
      {children}
      <HintAndError id={idOf(field)} hint={hint} error={error} />
    </div>
  );
}

function Intro() {
  return (
    <header class="page-header">
      <h1>Contact us</h1>
      <p>
        The editor of each desk answers for what the desk publishes. Write to the desk your message is about, with a
        correction, a tip, a question or a complaint, and its editors will read it. To reach a desk or an editor directly, see{' '}
        <a href={paths.staff()}>Staff and editors</a>.
      </p>
    </header>
  );
}

function ErrorSummary({ errors }: { errors: ContactForm['errors'] }) {
  const listed = FIELD_ORDER.filter((field) => errors[field]);
  if (listed.length === 0) return null;
  return (
    <div class="notice" role="alert">
      <p>
        <strong>Your message has not been sent yet.</strong> Please check {listed.length === 1 ? 'this' : 'these'}:
      </p>
      <ul>
        {listed.map((field) => (
          <li key={field}>
            <a href={`#${idOf(field)}`}>{errors[field]}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeskSelect({ desks, value, error }: { desks: Desk[]; value: string; error: string | undefined }) {
  return (
    <Field field="desk" hint="Its editors will read your message and answer for the desk." error={error}>
      <select id={idOf('desk')} name="desk" required {...described('desk', true, error)}>
        <option value="">Choose a desk</option>
        {desks.map((desk) => (
          <option key={desk.id} value={String(desk.id)} selected={value === String(desk.id)}>
            {desk.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

// The HTML parser drops one newline right after <textarea>, so a message that starts with a
// line break needs one more to come back unchanged.
const textareaContent = (text: string) => (/^\r?\n/.test(text) ? `\n${text}` : text);

/** Bots fill every field; people never see this one (site.css moves .trap off screen). */
function Honeypot() {
  return (
    <div class="trap" aria-hidden="true">
      <label for={idOf('website')}>Leave this empty</label>
      <input id={idOf('website')} type="text" name="website" value="" tabindex={-1} autocomplete="off" />
    </div>
  );
}

function MessageForm({ desks, form }: { desks: Desk[]; form: ContactForm }) {
  const { values, errors } = form;
  return (
    <form class="form" method="post" action={paths.contact()}>
      <input type="hidden" name="_csrf" value={form.csrf} />
      <DeskSelect desks={desks} value={values.desk} error={errors.desk} />
      <Field field="name" error={errors.name}>
        <input id={idOf('name')} name="name" type="text" value={values.name} required maxLength={MESSAGE_LIMITS.name} autocomplete="name" {...described('name', false, errors.name)} />
      </Field>
      <Field field="email" hint="Only the desk's editors see it, to answer you." error={errors.email}>
        <input
          id={idOf('email')}
          name="email"
          type="email"
          value={values.email}
          required
          maxLength={MESSAGE_LIMITS.email}
          autocomplete="email"
          spellcheck={false}
          {...described('email', true, errors.email)}
        />
      </Field>
      <Field field="subject" error={errors.subject}>
        <input id={idOf('subject')} name="subject" type="text" value={values.subject} required maxLength={MESSAGE_LIMITS.subject} {...described('subject', false, errors.subject)} />
      </Field>
      <Field field="body" hint={`From ${MESSAGE_LIMITS.bodyMin} to ${MESSAGE_LIMITS.bodyMax.toLocaleString('en')} characters, as plain text.`} error={errors.body}>
        <textarea
          id={idOf('body')}
          name="body"
          rows={10}
          required
          minLength={MESSAGE_LIMITS.bodyMin}
          maxLength={MESSAGE_LIMITS.bodyMax}
          {...described('body', true, errors.body)}
        >
          {textareaContent(values.body)}
        </textarea>
      </Field>
      <Honeypot />
      <p>
        <button class="button" type="submit">
          Send message
        </button>
      </p>
    </form>
  );
}

export function ContactPage({ chrome, form }: { chrome: Chrome; form: ContactForm }) {
  const hasErrors = Object.keys(form.errors).length > 0;
  const meta = hasErrors || form.notice ? { title: 'Contact us', noindex: true } : { title: 'Contact us', description: `Write to a desk of ${chrome.siteName}.`, canonical: paths.contact() };
  return (
    <Layout chrome={chrome} meta={meta}>
      <Intro />
      {form.notice ? (
        <p class="notice" role="alert">
          {form.notice}
        </p>
      ) : null}
      <ErrorSummary errors={form.errors} />
      {chrome.desks.length > 0 ? (
        <MessageForm desks={chrome.desks} form={form} />
      ) : (
        <p class="empty">The newsroom has no desks yet, so there is no one to send a message to.</p>
      )}
    </Layout>
  );
}

/** After a message is sent (Post/Redirect/Get); `desk` is absent when the address names none. */
export function ContactSentPage({ chrome, desk }: { chrome: Chrome; desk: Desk | undefined }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Message sent', noindex: true }}>
      <header class="page-header">
        <h1>Thank you</h1>
      </header>
      <p class="notice ok" role="status">
        {desk
          ? `Your message has been sent to the ${desk.name} desk. Its editors will answer by email if it needs an answer.`
          : 'Your message has been sent. The desk’s editors will answer by email if it needs an answer.'}
      </p>
      <p>
        <a href={paths.contact(desk?.slug)}>Write another message</a> · <a href={paths.home()}>Go to the front page</a>
      </p>
    </Layout>
  );
}
