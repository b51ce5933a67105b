// Small DOM helpers the explorer's modules share: make an element, say a list in words.

/**
 * `h("p", {class: "x", onclick: f}, "text", child)`: an element with attributes (`text`
 * sets its text; `on…` adds a listener; false, null and undefined are left out) and
 * children (strings, nodes, arrays of them; null and false skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(
    ...children.flat(Infinity).filter((c) => c !== null && c !== false && c !== undefined),
  );
  return node;
}

/** A shape as PyTorch prints a list of sizes: `[1, 8, 4, 5]`. */
export const shapeText = (shape) => `[${shape.join(", ")}]`;

/** `a`, `a and b`, `a, b and c`; long lists shortened to their first and last items. */
export function words(items, most = 8) {
  const list =
    items.length > most ? [...items.slice(0, most - 2), "…", items[items.length - 1]] : items;
  return list.length < 2
    ? list.join("")
    : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

/** `n cells` / `1 cell`. */
export const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
