// Autosave and everything that keeps a writer's words: saves through the newsroom API 3 s after
// the last change and when the page is left; shows when it last saved; on an edit conflict stops
// and shows both versions side by side until the writer chooses; retries with backoff when the
// network fails; warns before leaving with unsaved changes; keeps an emergency copy in
// localStorage and offers it back after a crash; keeps the soft lock alive.
import { readFields, wordsOf, writeFields, type StoryFields } from './form.ts';
import { textOfBody } from './body-html.ts';

const API = '/api/newsroom/v1';
const AUTOSAVE_DELAY_MS = 3_000;
const HEARTBEAT_MS = 30_000;
const MAX_RETRY_MS = 60_000;

interface Snapshot extends Omit<StoryFields, 'slug'> {
  slug: string;
}

interface ApiError {
  error?: { code?: string; message?: string; details?: { currentVersion?: number; theirs?: Snapshot } };
}

interface EmergencyCopy {
  at: string;
  baseVersion: number;
  fields: StoryFields;
}

export interface BodyAccess {
  html(): string;
  set(html: string): void;
  focus(): void;
}

export interface SaverOptions {
  form: HTMLFormElement;
  body: BodyAccess;
  storyId: number | null;
  /** Autosave (draft, changes requested) or only on request (Ctrl+S). */
  autosave: boolean;
  /** The API may save this story now (an editable, unpublished story). */
  canSave: boolean;
  editable: boolean;
  status: HTMLElement;
  language: string;
}

type SaveResult = 'saved' | 'unchanged' | 'conflict' | 'failed';

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

export class StorySaver {
  private baseVersion: number;
  private lastSaved: string;
  private inFlight: Promise<SaveResult> | null = null;
  private timer: number | undefined;
  private retryTimer: number | undefined;
  private retryDelay = 2_000;
  private copyTimer: number | undefined;
  private conflict: { currentVersion: number; theirs: Snapshot; panel: HTMLElement; mine: HTMLElement } | null = null;
  private halted = false;
  /** What the status says when nothing is pending. */
  private savedText = '';
  private submitting = false;
  private readonly csrf: string;
  private readonly baseInput: HTMLInputElement | null;
  private readonly copyPrefix: string;

  constructor(private readonly o: SaverOptions) {
    this.baseInput = o.form.querySelector<HTMLInputElement>('input[name="baseVersion"]');
    this.baseVersion = Number(this.baseInput?.value) || Number(o.form.dataset.version) || 0;
    this.csrf = o.form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
    this.copyPrefix = `dateline:story:${o.storyId ?? 'new'}:`;
    this.lastSaved = this.json();
  }

  /** Wires the page: form changes, leaving the page, Ctrl+S, workflow buttons, heartbeat. */
  start(): void {
    const { form } = this.o;
    // The body's own changes come from the editor (changed() on each update), not these events.
    const fromForm = (event: Event) => {
      if (!(event.target as Element | null)?.closest?.('.body-editor')) this.changed();
    };
    form.addEventListener('input', fromForm);
    form.addEventListener('change', fromForm);
    form.addEventListener('submit', (event) => this.onFormSubmit(event));
    // Workflow actions (Submit for review …) post their own forms: save the text first.
    for (const other of Array.from(document.querySelectorAll<HTMLFormElement>('.actions form'))) {
      other.addEventListener('submit', (event) => this.onActionSubmit(event, other));
    }
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        void this.saveShortcut();
      }
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') {
        this.writeCopyNow();
        if (this.o.autosave) void this.save(true);
      }
    });
    window.addEventListener('pagehide', () => {
      this.writeCopyNow();
      if (this.o.autosave) void this.save(true);
    });
    window.addEventListener('beforeunload', (event) => {
      if (this.submitting || !this.o.editable || !this.dirty()) return;
      event.preventDefault();
      event.returnValue = '';
    });
    if (this.o.storyId !== null && this.o.editable) window.setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.offerEmergencyCopy();
  }

  /** The editor lost focus: a natural moment to save. */
  blurred(): void {
    if (this.o.autosave && this.dirty()) void this.save();
  }

  private json(): string {
    return JSON.stringify(this.fields());
  }

  private fields(): StoryFields {
    return readFields(this.o.form, this.o.body.html());
  }

  dirty(): boolean {
    return this.json() !== this.lastSaved || this.inFlight !== null;
  }

  /** Every change: keep the copy, show the state, plan the autosave. */
  changed(): void {
    if (this.json() === this.lastSaved) {
      // Undone back to what was saved: nothing is pending any more.
      if (this.o.status.dataset.state === 'dirty') this.show(this.savedText, 'saved');
      return;
    }
    window.clearTimeout(this.copyTimer);
    this.copyTimer = window.setTimeout(() => this.writeCopyNow(), 400);
    if (this.conflict) {
      this.conflict.mine.textContent = this.plainText(this.fields());
      return;
    }
    if (this.halted) return;
    if (!this.retryTimer) this.show('Unsaved changes', 'dirty');
    if (this.o.autosave) {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.save(), AUTOSAVE_DELAY_MS);
    }
  }

  private show(text: string, kind: 'dirty' | 'saved' | 'error' | 'saving' | 'info'): void {
    const { status } = this.o;
    if (status.textContent !== text) status.textContent = text;
    status.dataset.state = kind;
  }

  private time(): string {
    return new Date().toLocaleTimeString(this.o.language || undefined, { hour: '2-digit', minute: '2-digit' });
  }

  // ---- saving -------------------------------------------------------------------------

  private async saveShortcut(): Promise<void> {
    if (this.conflict) {
      this.conflict.panel.querySelector<HTMLElement>('h2')?.focus();
      return;
    }
    if (!this.o.editable) return;
    if (this.o.storyId === null) {
      // A new story is created by its form.
      this.submitting = true;
      this.o.form.requestSubmit();
      return;
    }
    if (!this.o.canSave) {
      this.show('A published story changes through “Publish update” or “Publish correction”.', 'info');
      return;
    }
    this.halted = false;
    const result = await this.save();
    if (result === 'unchanged') this.show(`No changes to save · saved at ${this.time()}`, 'saved');
  }

  /** Saves now if there is anything to save. `leaving`: the page is going away (keepalive). */
  async save(leaving = false): Promise<SaveResult> {
    window.clearTimeout(this.timer);
    if (!this.o.canSave || this.o.storyId === null || this.conflict) return this.conflict ? 'conflict' : 'failed';
    while (this.inFlight) {
      const previous = await this.inFlight;
      if (previous === 'conflict') return previous;
    }
    const fields = this.fields();
    const json = JSON.stringify(fields);
    if (json === this.lastSaved) return 'unchanged';
    const run = this.put(fields, json, leaving);
    this.inFlight = run;
    try {
      return await run;
    } finally {
      this.inFlight = null;
    }
  }

  private async put(fields: StoryFields, json: string, leaving: boolean): Promise<SaveResult> {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const slow = window.setTimeout(() => this.show('Saving…', 'saving'), 1_000);
    let response: Response;
    try {
      response = await fetch(`${API}/stories/${this.o.storyId}`, {
        method: 'PUT',
        credentials: 'same-origin',
        keepalive: leaving && json.length < 60_000,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrf },
        body: JSON.stringify({ baseVersion: this.baseVersion, story: fields }),
      });
    } catch {
      window.clearTimeout(slow);
      return this.retryLater('Not saved — retrying');
    }
    window.clearTimeout(slow);
    const data = (await response.json().catch(() => ({}))) as ApiError & { story?: { version?: number } };
    if (response.ok && typeof data.story?.version === 'number') {
      this.setBaseVersion(data.story.version);
      this.lastSaved = json;
      this.retryDelay = 2_000;
      this.halted = false;
      if (this.json() === json) this.clearCopies();
      else {
        this.writeCopyNow();
        if (this.o.autosave) this.timer = window.setTimeout(() => void this.save(), AUTOSAVE_DELAY_MS);
      }
      this.savedText = `Saved at ${this.time()}`;
      this.show(this.savedText, 'saved');
      return 'saved';
    }
    const error = data.error ?? {};
    if (response.status === 409 && error.details?.theirs && typeof error.details.currentVersion === 'number') {
      this.showConflict(error.details.currentVersion, error.details.theirs);
      return 'conflict';
    }
    if (response.status === 401) return this.retryLater('Not saved — you are logged out. Log in again in another tab; your text stays here and is saved then.');
    if (response.status === 429 || response.status >= 500) return this.retryLater('Not saved — retrying');
    // Refused for a reason a retry will not fix (a missing desk, the story was submitted …):
    // say why and wait for the next change or Ctrl+S.
    this.halted = response.status !== 400;
    this.show(`Not saved: ${error.message ?? `the server answered ${response.status}`}`, 'error');
    return 'failed';
  }

  private retryLater(message: string): SaveResult {
    this.show(message, 'error');
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      void this.save();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    return 'failed';
  }

  private setBaseVersion(version: number): void {
    this.baseVersion = version;
    if (this.baseInput) this.baseInput.value = String(version);
    this.o.form.dataset.version = String(version);
    const meta = document.querySelector('.page-head .meta');
    if (meta && /^version \d+$/.test(meta.textContent ?? '')) meta.textContent = `version ${version}`;
  }

  private onFormSubmit(event: SubmitEvent): void {
    if (this.inFlight) {
      // Let the autosave finish first, so the form's baseVersion is the one it saved.
      event.preventDefault();
      const submitter = event.submitter as HTMLElement | null;
      void this.inFlight.then(() => {
        this.submitting = true;
        this.o.form.requestSubmit(submitter as HTMLButtonElement | null);
      });
      return;
    }
    this.submitting = true;
    this.writeCopyNow();
  }

  private onActionSubmit(event: SubmitEvent, form: HTMLFormElement): void {
    if (form.dataset.saved === 'true' || !this.o.canSave || !this.o.editable) {
      this.submitting = true;
      return;
    }
    if (!this.dirty()) {
      this.submitting = true;
      return;
    }
    event.preventDefault();
    void this.save().then((result) => {
      if (result === 'saved' || result === 'unchanged') {
        form.dataset.saved = 'true';
        this.submitting = true;
        form.requestSubmit();
      } else if (result === 'failed') {
        this.show(`${this.o.status.textContent ?? 'Not saved'} — save your text before this step.`, 'error');
      }
    });
  }

  // ---- conflict -----------------------------------------------------------------------

  private plainText(f: { headline: string; bodyHtml: string }): string {
    return `${f.headline}\n\n${textOfBody(f.bodyHtml, document)}`;
  }

  private showConflict(currentVersion: number, theirs: Snapshot): void {
    this.conflict?.panel.remove();
    window.clearTimeout(this.timer);
    const panel = document.createElement('section');
    panel.className = 'panel conflict-panel';
    panel.id = 'live-conflict';
    panel.setAttribute('aria-labelledby', 'live-conflict-title');
    const title = document.createElement('h2');
    title.id = 'live-conflict-title';
    title.tabIndex = -1;
    title.textContent = 'Someone else saved this story while you were editing';
    const note = document.createElement('p');
    note.setAttribute('role', 'alert');
    note.textContent = `Version ${currentVersion} was saved after the version you started from. Nothing was overwritten and your text is still in the editor; autosave is paused until you choose.`;
    const columns = document.createElement('div');
    columns.className = 'conflict';
    const column = (heading: string, text: string) => {
      const div = document.createElement('div');
      const h = document.createElement('h3');
      h.textContent = heading;
      const pre = document.createElement('pre');
      pre.textContent = text;
      div.append(h, pre);
      columns.append(div);
      return pre;
    };
    const mine = column('Your version', this.plainText(this.fields()));
    column(`Saved version ${currentVersion}`, this.plainText(theirs));
    const buttons = document.createElement('p');
    buttons.className = 'conflict-buttons';
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.className = 'button';
    keep.textContent = `Keep mine and save over version ${currentVersion}`;
    const load = document.createElement('button');
    load.type = 'button';
    load.className = 'button secondary';
    load.textContent = 'Load theirs';
    buttons.append(keep, ' ', load);
    panel.append(title, note, columns, buttons);
    const layout = document.querySelector('.editor-layout');
    (layout?.parentNode ?? this.o.form.parentNode)?.insertBefore(panel, layout ?? this.o.form);
    this.conflict = { currentVersion, theirs, panel, mine };
    this.show(`Not saved — someone else saved version ${currentVersion}. Choose below or above the editor.`, 'error');
    this.writeCopyNow();

    keep.addEventListener('click', () => {
      this.resolveConflict(currentVersion);
      void this.save().then((r) => {
        if (r === 'unchanged') this.show(`Saved at ${this.time()}`, 'saved');
      });
    });
    load.addEventListener('click', () => {
      if (!window.confirm(`Replace your text in the editor with version ${currentVersion}? Your version will be gone from the form (Ctrl+Z in the body undoes it there).`)) return;
      this.writeCopyNow();
      const { slug, ...rest } = theirs;
      writeFields(this.o.form, { ...rest, slug });
      this.o.body.set(theirs.bodyHtml);
      this.resolveConflict(currentVersion);
      this.lastSaved = this.json();
      this.show(`Loaded version ${currentVersion}`, 'saved');
    });
  }

  private resolveConflict(currentVersion: number): void {
    this.setBaseVersion(currentVersion);
    this.conflict?.panel.remove();
    this.conflict = null;
    this.halted = false;
    this.o.body.focus();
  }

  // ---- emergency copy -------------------------------------------------------------------

  private writeCopyNow(): void {
    window.clearTimeout(this.copyTimer);
    const store = storage();
    if (!store || !this.o.editable) return;
    const fields = this.fields();
    if (JSON.stringify(fields) === this.lastSaved) return;
    const copy: EmergencyCopy = { at: new Date().toISOString(), baseVersion: this.baseVersion, fields };
    try {
      store.setItem(`${this.copyPrefix}v${this.baseVersion}`, JSON.stringify(copy));
    } catch {
      // Storage full or refused: the server copy and the form are all we have.
    }
  }

  private copies(prefix = this.copyPrefix): Array<{ key: string; copy: EmergencyCopy }> {
    const store = storage();
    if (!store) return [];
    const found: Array<{ key: string; copy: EmergencyCopy }> = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (!key?.startsWith(prefix)) continue;
      try {
        const copy = JSON.parse(store.getItem(key) ?? '') as EmergencyCopy;
        if (copy && typeof copy.fields?.bodyHtml === 'string') found.push({ key, copy });
      } catch {
        // not ours, or broken: leave it
      }
    }
    return found.sort((a, b) => b.copy.at.localeCompare(a.copy.at));
  }

  private clearCopies(): void {
    const store = storage();
    for (const { key } of this.copies()) store?.removeItem(key);
  }

  /** After a crash or a lost tab: offer unsaved text this browser kept, if it differs. */
  private offerEmergencyCopy(): void {
    if (!this.o.editable) return;
    const store = storage();
    const current = wordsOf(this.fields());
    // A new story's copy that became this story (it was created) is done with.
    if (this.o.storyId !== null) {
      for (const { key, copy } of this.copies('dateline:story:new:')) if (wordsOf(copy.fields) === current) store?.removeItem(key);
    }
    const pending = this.copies().filter(({ key, copy }) => {
      if (wordsOf(copy.fields) !== current) return true;
      store?.removeItem(key);
      return false;
    });
    const latest = pending[0];
    if (!latest) return;
    const when = new Date(latest.copy.at).toLocaleString(this.o.language || undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const notice = document.createElement('div');
    notice.className = 'notice info restore-notice';
    notice.setAttribute('role', 'region');
    notice.setAttribute('aria-label', 'Unsaved text found');
    const p = document.createElement('p');
    p.textContent =
      this.o.storyId === null
        ? `This browser kept a story you had not saved (from ${when}).`
        : `This browser kept changes you had not saved (from ${when}, made on version ${latest.copy.baseVersion}). They differ from the text below.`;
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.className = 'button small';
    restore.textContent = 'Restore my unsaved text';
    const discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'button secondary small';
    discard.textContent = 'Discard it';
    const buttons = document.createElement('p');
    buttons.append(restore, ' ', discard);
    notice.append(p, buttons);
    const layout = document.querySelector('.editor-layout');
    (layout?.parentNode ?? this.o.form.parentNode)?.insertBefore(notice, layout ?? this.o.form);
    restore.addEventListener('click', () => {
      writeFields(this.o.form, latest.copy.fields);
      this.o.body.set(latest.copy.fields.bodyHtml);
      // Based on an older version: saving it goes through the conflict view, never over
      // someone's newer text unseen.
      if (this.o.storyId !== null && latest.copy.baseVersion && latest.copy.baseVersion < this.baseVersion) this.setBaseVersion(latest.copy.baseVersion);
      for (const { key } of pending) if (key !== latest.key) store?.removeItem(key);
      notice.remove();
      this.changed();
      this.show('Restored your unsaved text', 'dirty');
    });
    discard.addEventListener('click', () => {
      for (const { key } of pending) store?.removeItem(key);
      notice.remove();
    });
  }

  // ---- soft lock --------------------------------------------------------------------------

  /** Keeps the soft lock (never takes it over); shows who has the story if someone else does. */
  async heartbeat(): Promise<void> {
    try {
      const response = await fetch(`${API}/stories/${this.o.storyId}/lock`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrf },
        body: '{}',
      });
      if (!response.ok) return;
      const { lock } = (await response.json()) as { lock?: { mine: boolean; heldBy: { email: string; since: string } | null } };
      let notice = document.getElementById('lock-live');
      if (!lock || lock.mine || !lock.heldBy) {
        notice?.remove();
        return;
      }
      if (!notice) {
        notice = document.createElement('p');
        notice.id = 'lock-live';
        notice.className = 'notice info';
        notice.setAttribute('role', 'status');
        const layout = document.querySelector('.editor-layout');
        (layout?.parentNode ?? this.o.form.parentNode)?.insertBefore(notice, layout ?? this.o.form);
      }
      const since = new Date(lock.heldBy.since).toLocaleTimeString(this.o.language || undefined, { hour: '2-digit', minute: '2-digit' });
      notice.textContent = `${lock.heldBy.email} has this story open (since ${since}). You can keep writing; if they save first you will see both versions.`;
    } catch {
      // Offline: the save path reports that.
    }
  }
}
