// Progressive enhancement for the front-page list: a handle on each story drags it to a new
// place (mouse, pen or touch, through pointer events), every move is announced in the page's
// live region, and on release the new order is sent through the page's ordinary form. Without
// this script the Move up / Move down buttons do the same, one step at a time.

const list = document.querySelector<HTMLOListElement>('ol[data-curation]');
const form = document.getElementById('curation-order') as HTMLFormElement | null;
const status = document.getElementById('curation-status');

const items = (): HTMLLIElement[] => Array.from(list?.querySelectorAll<HTMLLIElement>(':scope > li[data-id]') ?? []);
const headlineOf = (li: HTMLLIElement): string => li.querySelector('.curation-headline')?.textContent?.trim() ?? 'The story';
const slotName = (index: number): string => (index === 0 ? 'the lead story' : `top story ${index}`);

function announce(text: string): void {
  if (!status) return;
  // Clearing first makes a repeated message be read again.
  status.textContent = '';
  window.setTimeout(() => {
    status.textContent = text;
  }, 50);
}

/** Renumbers the visible "Lead story / Top story N" labels after a move. */
function relabel(): void {
  items().forEach((li, i) => {
    const slot = li.querySelector('[data-slot]');
    if (slot) slot.textContent = i === 0 ? 'Lead story' : `Top story ${i}`;
  });
}

function save(): void {
  if (!form) return;
  for (const input of Array.from(form.querySelectorAll('input[name="articleIds"]'))) input.remove();
  for (const li of items()) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'articleIds';
    input.value = li.dataset.id ?? '';
    form.append(input);
  }
  list?.setAttribute('aria-busy', 'true');
  announce('Saving the new order…');
  if (typeof form.requestSubmit === 'function') form.requestSubmit();
  else form.submit();
}

function enhance(ol: HTMLOListElement): void {
  ol.classList.add('sortable');
  let dragging: { li: HTMLLIElement; pointerId: number; before: string[] } | undefined;

  const order = () => items().map((li) => li.dataset.id ?? '');

  const finish = (commit: boolean) => {
    if (!dragging) return;
    const { li, before } = dragging;
    dragging = undefined;
    li.classList.remove('dragging');
    document.body.classList.remove('is-dragging');
    const now = order();
    if (!commit) {
      // Put everything back where it was.
      for (const id of before) {
        const item = items().find((i) => i.dataset.id === id);
        if (item) ol.append(item);
      }
      relabel();
      announce(`Move cancelled. ${headlineOf(li)} is back in its place.`);
      return;
    }
    if (now.join(',') === before.join(',')) {
      announce(`${headlineOf(li)} stays where it was.`);
      return;
    }
    save();
  };

  for (const li of items()) {
    const handle = document.createElement('span');
    handle.className = 'drag-handle';
    handle.setAttribute('aria-hidden', 'true');
    handle.title = 'Drag to move';
    handle.textContent = '⠿';
    li.prepend(handle);

    handle.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || dragging) return;
      event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      dragging = { li, pointerId: event.pointerId, before: order() };
      li.classList.add('dragging');
      document.body.classList.add('is-dragging');
      announce(`Moving ${headlineOf(li)}, now ${slotName(items().indexOf(li))}.`);
    });
  }

  document.addEventListener('pointermove', (event) => {
    if (!dragging || dragging.pointerId !== event.pointerId) return;
    const li = dragging.li;
    const others = items().filter((other) => other !== li);
    // The first story whose middle lies below the pointer gets the dragged one in front of it.
    const next = others.find((other) => {
      const box = other.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    const from = items().indexOf(li);
    const to = next ? others.indexOf(next) : others.length;
    // The neighbours move around the dragged story, which itself stays in the document: taking
    // it out, even for a moment, would end its pointer capture.
    for (let i = from; i < to; i++) {
      const after = li.nextElementSibling;
      if (after) li.before(after);
    }
    for (let i = from; i > to; i--) {
      const before = li.previousElementSibling;
      if (before) li.after(before);
    }
    if (to !== from) {
      relabel();
      announce(`${headlineOf(li)}: now ${slotName(to)} of ${items().length}.`);
    }
  });

  // On the document, so a release anywhere ends the drag even if the capture was lost.
  document.addEventListener('pointerup', (event) => {
    if (dragging?.pointerId === event.pointerId) finish(true);
  });
  document.addEventListener('pointercancel', (event) => {
    if (dragging?.pointerId === event.pointerId) finish(false);
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && dragging) finish(false);
  });
}

if (list && form && items().length > 1) enhance(list);
