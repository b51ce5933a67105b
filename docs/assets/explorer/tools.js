// Two questions about sizes, each with a link that opens the explorer on its answer:
// which layers take an input of size n to size m (solve), and what a stack of layers
// does to a shape, with the sizes that come back from a round trip (stack, roundTrip).
import { evaluate, formatHash, parseHash, roundTrip, solve, stack } from "./arithmetic.js";
import { h, shapeText } from "./dom.js";

const field = (id, label, value, attributes = {}) => [
  h("label", { for: id }, label),
  h("input", {
    id,
    type: "text",
    inputmode: "numeric",
    size: 4,
    value,
    autocomplete: "off",
    ...attributes,
  }),
];
const open = (setting, text = "Open") => h("a", { href: `#${formatHash(setting)}` }, text);
const scroller = (label, ...children) =>
  h("div", { class: "cx-scroll", tabindex: "0", role: "region", "aria-label": label }, ...children);
const table = (head, rows) =>
  h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        head.map((text) => h("th", { scope: "col" }, text)),
      ),
    ),
    h("tbody", {}, rows),
  );

/** Which kernel, stride, dilation and padding take size n to size m? */
export function solverPanel() {
  const [inLabel, inField] = field("cx-solve-n", "input size", "7");
  const [outLabel, outField] = field("cx-solve-m", "wanted output size", "4");
  const result = h("div", { class: "cx-solutions", id: "cx-solutions" });
  function run() {
    const [n, m] = [inField.value.trim(), outField.value.trim()];
    result.replaceChildren();
    if (!/^\d+$/.test(n) || !/^\d+$/.test(m))
      return void result.append(h("p", {}, "Type two sizes, whole numbers."));
    const found = solve(Number(n), Number(m));
    const rows = found.solutions.map((s) =>
      h(
        "tr",
        {},
        [s.kernel_size, s.stride, s.dilation, s.padding].map((v) => h("td", {}, String(v))),
        h("td", {}, h("code", {}, s.torch)),
        h(
          "td",
          {},
          open({
            op: "conv1d",
            input: [1, 1, Number(n)],
            kernel_size: s.kernel_size,
            stride: s.stride,
            padding: s.padding,
            dilation: s.dilation,
          }),
        ),
      ),
    );
    result.append(
      h(
        "p",
        { role: "status" },
        `${found.solutions.length} settings with kernel_size ≤ 7, stride ≤ 4, dilation ≤ 3 and ${found.paddingBound}.`,
      ),
      rows.length
        ? scroller(
            "Settings that give this size",
            table(["kernel_size", "stride", "dilation", "padding", "PyTorch", "Explorer"], rows),
          )
        : null,
    );
  }
  inField.addEventListener("input", run);
  outField.addEventListener("input", run);
  run();
  return h(
    "section",
    { class: "cx-solver", "aria-labelledby": "cx-solver-title" },
    h("h2", { id: "cx-solver-title" }, "Which layer gives this size?"),
    h(
      "p",
      {},
      "Every convolution along one axis, with its padding, that turns the input size into the output size you want.",
    ),
    h("div", { class: "cx-inline" }, inLabel, inField, outLabel, outField),
    result,
  );
}

// The example: four stride-2 convolutions down, four stride-2 transposed ones back up.
const PRESET = [
  ...Array(4).fill("op=conv2d&kernel_size=3&stride=2&padding=1"),
  ...Array(4).fill("op=conv_transpose2d&kernel_size=3&stride=2&padding=1"),
].join("\n");

/** A stack of layers: the shape after each, and the round trip's sizes. */
export function stackPanel(currentSetting) {
  const [shapeLabel, shapeField] = field("cx-stack-input", "input shape", "1,1,32,32", {
    inputmode: "text",
    size: 12,
  });
  const layersField = h("textarea", {
    id: "cx-stack-layers",
    rows: 8,
    cols: 48,
    spellcheck: "false",
    "aria-describedby": "cx-stack-help",
  });
  const result = h("div", { class: "cx-stack-result", id: "cx-stack-result" });
  const trip = h("div", { class: "cx-trip", id: "cx-trip" });

  function run() {
    result.replaceChildren();
    trip.replaceChildren();
    const input = shapeField.value.split(",").map((v) => v.trim());
    if (!input.every((v) => /^-?\d+$/.test(v)))
      return void result.append(h("p", {}, "The input shape is integers separated by commas."));
    const lines = layersField.value
      .split("\n")
      .map((v) => v.trim())
      .filter(Boolean);
    const layers = [];
    for (const [i, text] of lines.entries()) {
      const { state, problems } = parseHash(text);
      const real = problems.filter((p) => p !== "input is missing");
      if (real.length) return void result.append(h("p", {}, `Line ${i + 1}: ${real.join("; ")}.`));
      delete state.input;
      layers.push(state);
    }
    if (!layers.length) return;
    const shape = input.map(Number);
    const { shapes, failed } = stack(shape, layers);
    const steps = layers.map((layer, i) => {
      if (i > shapes.length - 1) return null;
      const here = { ...layer, input: shapes[i] };
      const line = evaluate(here).torch ?? formatHash(here);
      const after =
        failed && failed.index === i
          ? h("span", { class: "cx-bad" }, `${failed.errorType}: ${failed.error}`)
          : h("code", {}, shapeText(shapes[i + 1]));
      return h("li", {}, h("code", {}, line), " → ", after, " ", open(here));
    });
    result.append(h("p", {}, "Input ", h("code", {}, shapeText(shape))), h("ol", {}, steps));
    const ups = layers.filter((l) => String(l.op).startsWith("conv_transpose")).length;
    if (!ups || ups === layers.length) return;
    const spatial = String(layers[0].op).endsWith("2d") ? 2 : 1;
    const channels = shape.length > spatial ? shape[shape.length - spatial - 1] : 1;
    const batch = shape.length > spatial + 1 ? shape[shape.length - spatial - 2] : 1;
    const sizes = roundTrip(layers, { from: 1, to: 32, channels, batch });
    const back = sizes.filter((r) => r.back).map((r) => r.n);
    const rows = sizes.map((r) =>
      h(
        "tr",
        { class: r.back ? "cx-back" : null },
        h("td", {}, String(r.n)),
        h("td", {}, r.size === null ? (r.error ? "error" : "—") : String(r.size)),
        h("td", {}, r.back ? "yes" : "no"),
        h(
          "td",
          {},
          r.outputPadding
            ? r.outputPadding.map((p) => [].concat(p).join(",")).join(" · ")
            : "none works",
        ),
      ),
    );
    trip.append(
      h("h3", {}, "The round trip"),
      h(
        "p",
        { role: "status" },
        back.length
          ? `Sizes from 1 to 32 that come back as they went in: ${back.join(", ")}.`
          : "No size from 1 to 32 comes back as it went in.",
      ),
      h(
        "p",
        {},
        "The last column gives, for each transposed layer in turn, the output_padding that gives back the size its mirror layer received.",
      ),
      scroller(
        "The round trip for sizes 1 to 32",
        table(["size n", "after the stack", "back to n?", "output_padding needed"], rows),
      ),
    );
  }

  const preset = h(
    "button",
    { type: "button", class: "md-button", id: "cx-stack-preset" },
    "Example: four stride-2 layers down, four up",
  );
  preset.addEventListener("click", () => {
    shapeField.value = "1,1,32,32";
    layersField.value = PRESET;
    run();
  });
  const add = h(
    "button",
    { type: "button", class: "md-button", id: "cx-stack-add" },
    "Add the setting above",
  );
  add.addEventListener("click", () => {
    const { input, ...layer } = currentSetting();
    if (!layersField.value.trim()) shapeField.value = input.join(",");
    layersField.value = `${layersField.value.trim()}\n${formatHash(layer)}`.trim();
    run();
  });
  shapeField.addEventListener("input", run);
  layersField.addEventListener("input", run);
  return h(
    "section",
    { class: "cx-stack", "aria-labelledby": "cx-stack-title" },
    h("h2", { id: "cx-stack-title" }, "A stack of layers"),
    h(
      "p",
      { id: "cx-stack-help" },
      "One layer a line, written as in the address without its input (",
      h("code", {}, "op=conv2d&kernel_size=3&stride=2&padding=1"),
      "); each layer gets the output of the one before.",
    ),
    h("div", { class: "cx-inline" }, shapeLabel, shapeField, preset, add),
    h("label", { for: layersField.id }, "Layers"),
    layersField,
    result,
    trip,
  );
}
