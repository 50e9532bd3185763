/**
 * Element building for the summary view. Values from the log file reach the page only as text
 * (`textContent`, attribute values set through the DOM), never as markup: an address written as
 * `<img src=x onerror=…>` shows as those characters.
 */

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  id?: string;
  /** Attributes, set with setAttribute (values are never parsed as markup). */
  attrs?: Record<string, string>;
  text?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.id) element.id = options.id;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  if (options.text !== undefined) element.textContent = options.text;
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A `<select>` with its label; `onChange` gets the chosen value. */
export function labelledSelect(id: string, label: string, options: readonly { value: string; text: string }[], selected: string, onChange: (value: string) => void): HTMLElement {
  const select = el('select', { id });
  for (const option of options) {
    const item = el('option', { text: option.text, attrs: { value: option.value } });
    item.selected = option.value === selected;
    select.append(item);
  }
  select.addEventListener('change', () => onChange(select.value));
  return el('label', { className: 'control' }, [el('span', { text: label }), select]);
}

/** A table of text cells; `rowAction` makes the first cell of each row a button; columns from `textColumns` on are figures (right-aligned). */
export function dataTable(caption: string, headings: readonly string[], rows: readonly string[][], rowAction?: (index: number) => { title: string; run: () => void } | undefined, textColumns = 1): HTMLTableElement {
  const head = el('thead', {}, [el('tr', {}, headings.map((heading, i) => el('th', { text: heading, attrs: { scope: 'col' }, className: i >= textColumns ? 'num' : undefined })))]);
  const body = el('tbody');
  rows.forEach((cells, index) => {
    const action = rowAction?.(index);
    const row = el('tr');
    cells.forEach((cell, i) => {
      if (i === 0) {
        const th = el('th', { attrs: { scope: 'row' } });
        if (action) {
          const button = el('button', { className: 'link', text: cell, attrs: { type: 'button', title: action.title } });
          button.addEventListener('click', action.run);
          th.append(button);
        } else {
          th.textContent = cell;
        }
        row.append(th);
      } else {
        row.append(el('td', { text: cell, className: i >= textColumns ? 'num' : undefined }));
      }
    });
    body.append(row);
  });
  return el('table', {}, [el('caption', { text: caption }), head, body]);
}
