/** Attributes of {@link element}: strings set as attributes, booleans present or absent. */
export type Attributes = Readonly<Record<string, string | boolean | undefined>>;

/**
 * Creates an element with attributes and children (strings become text nodes).
 *
 * @param tag - the tag name.
 * @param attributes - attributes to set; `false` and `undefined` are left out.
 * @param children - child nodes or text.
 * @returns the element.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children);
  return el;
}

/**
 * The element with this id, of the expected type; a missing one is a bug in index.html.
 *
 * @param id - the element's id.
 * @param type - its constructor, e.g. `HTMLSelectElement`.
 * @returns the element.
 */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no ${type.name} #${id}.`);
  return el;
}
