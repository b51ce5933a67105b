// The explorer page: the setting lives in the address (arithmetic.js's hash form), the
// form shows it and edits it, and every change redraws what PyTorch makes of it. The
// element #explorer carries the result for anyone reading the page's markup:
// data-output-shape="1,8,4,5" when PyTorch would run it, data-error="…" (PyTorch's own
// message) when it would raise.
import { KEY_ORDER, argumentsOf, evaluate, formatHash, parseHash } from "./arithmetic.js";
import { settingsForm } from "./controls.js";
import { h } from "./dom.js";
import { gridsPanel } from "./grids.js";
import { resultPanel } from "./report.js";
import { solverPanel, stackPanel } from "./tools.js";

const START = "op=conv2d&input=1,3,7,9&out_channels=8&kernel_size=3,5&stride=2&padding=1,2";
const spatialOf = (op) => (op.endsWith("2d") ? 2 : 1);
const isPlainConv = (op) => op.startsWith("conv") && !op.startsWith("conv_t");

// A new operation keeps what it still takes: the same input with one spatial axis more or
// less (the last one kept or copied), tuples cut to the width's value, F.pad's left and
// right; a padding word only for a convolution.
function convert(state, op) {
  const from = spatialOf(state.op);
  const to = spatialOf(op);
  const last = state.input.at(-1);
  const next = {
    op,
    input: from === to ? state.input : [...state.input.slice(0, -from), ...Array(to).fill(last)],
  };
  for (const key of [...argumentsOf(op), "pad", "flip"]) {
    let value = state[key];
    if (value === undefined || (key === "flip" && !op.startsWith("conv"))) continue;
    if (key === "pad") value = to === 1 ? value.slice(0, 2) : value;
    else if (Array.isArray(value) && to === 1) value = value.at(-1);
    if (key === "padding" && typeof value === "string" && !isPlainConv(op)) continue;
    next[key] = value;
  }
  return next;
}

// What the address asks for, completed where it says too little to draw anything.
function fromAddress(hash) {
  const { state, problems } = parseHash(hash.includes("=") ? hash : START);
  state.op ??= "conv2d";
  state.input ??= spatialOf(state.op) === 2 ? [1, 3, 7, 9] : [1, 3, 9];
  return { state, problems };
}

function start(root) {
  let state;
  const form = settingsForm(edit);
  const report = resultPanel((key, value) => {
    edit(key, value);
    form.show(state);
  });
  const grids = gridsPanel();
  const extra = h("div", { class: "cx-extra" });
  root.querySelector(".cx-needs-js")?.remove();
  root.append(
    form.element,
    extra,
    report.element,
    grids.element,
    solverPanel(),
    stackPanel(() => state),
  );

  function render(problems = []) {
    let result;
    try {
      result = evaluate(state);
    } catch (error) {
      result = {
        ok: false,
        error: String(error?.message ?? error),
        errorType: "Error",
        torch: null,
      };
    }
    if (result.ok) {
      root.setAttribute("data-output-shape", result.outputShape.join(","));
      root.removeAttribute("data-error");
    } else {
      root.setAttribute("data-error", result.error);
      root.removeAttribute("data-output-shape");
    }
    report.show(state, result, problems);
    grids.show(state, result);
    // Keys the operation does not take (from an address): PyTorch's TypeError, and a way out.
    const foreign = KEY_ORDER.filter(
      (key) =>
        key in state && key !== "pad" && key !== "flip" && !argumentsOf(state.op).includes(key),
    );
    extra.replaceChildren();
    if (foreign.length) {
      const cls = state.op
        .split("_")
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
      const drop = h(
        "button",
        { type: "button", class: "md-button" },
        `Remove ${foreign.join(", ")}: not taken by nn.${cls}`,
      );
      drop.addEventListener("click", () => {
        foreign.forEach((key) => delete state[key]);
        form.show(state);
        save();
        render();
      });
      extra.append(drop);
    }
  }

  function save() {
    history.replaceState(null, "", `#${formatHash(state)}`);
  }

  function edit(key, value) {
    if (key === "op") {
      state = convert(state, value);
      form.show(state);
    } else if (value === undefined) delete state[key];
    else state[key] = value;
    save();
    render();
  }

  function load() {
    const address = fromAddress(location.hash.slice(1));
    state = address.state;
    form.show(state);
    render(address.problems);
  }

  window.addEventListener("hashchange", () => {
    load();
    root.scrollIntoView();
  });
  load();
}

const root = document.getElementById("explorer");
if (root) start(root);
