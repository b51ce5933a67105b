// The settings form: one labelled control per key of the setting (PyTorch's argument
// names), shown only where the operation takes it. It reads what the reader typed and
// shows a setting; the arithmetic is arithmetic.js's business.
import { OPERATIONS, argumentsOf, parseHash } from "./arithmetic.js";
import { h } from "./dom.js";

const SHAPE = [
  ["N", "batch N", "empty: an unbatched input"],
  ["C", "channels C", "in_channels of the layer"],
  ["H", "height H", ""],
  ["W", "width W", ""],
];
const TUPLE = ["kernel_size", "stride", "padding", "dilation", "output_padding"];
const CHECKS = { bias: true, ceil_mode: false, count_include_pad: true, flip: false };
const PAD = ["left", "right", "top", "bottom"];
const INTEGER = /^-?\d+$/;
// The controls that make up one key of the setting, and the hints that never change.
const GROUP = {
  N: "input",
  C: "input",
  H: "input",
  W: "input",
  left: "pad",
  right: "pad",
  top: "pad",
  bottom: "pad",
};
const FIXED_HINTS = {
  ...Object.fromEntries(SHAPE.map(([key, , hint]) => [key, hint])),
  ...Object.fromEntries(PAD.map((key) => [key, "empty: 0"])),
};

const spatialOf = (op) => (op.endsWith("2d") ? 2 : 1);

/** Whether the control for `key` belongs with operation `op`. */
function applies(key, op) {
  if (key === "H" || key === "top" || key === "bottom") return spatialOf(op) === 2;
  if ("NCW".includes(key) || key === "left" || key === "right") return true;
  if (key === "flip") return op.startsWith("conv");
  return argumentsOf(op).includes(key);
}

function hintOf(key, op) {
  const pair = spatialOf(op) === 2 ? ", or height,width" : "";
  const pooling = !op.startsWith("conv");
  switch (key) {
    case "kernel_size":
      return `a number${pair}; required`;
    case "stride":
      return `a number${pair}; empty: ${pooling ? "kernel_size" : "1"}`;
    case "padding":
      return `a number${pair}${op.startsWith("conv") ? "; same or valid" : ""}; empty: 0`;
    case "dilation":
      return `a number${pair}; empty: 1`;
    case "output_padding":
      return `a number${pair}; empty: 0`;
    case "out_channels":
      return "empty: as many as C";
    case "groups":
      return "empty: 1";
    default:
      return "";
  }
}

/**
 * The form. `onEdit(key, value)` is called when the reader changes a control: `key` is a
 * setting's key (`input` for the shape fields, `pad` for F.pad's), `value` its new value
 * (undefined: left out). A value that cannot be read is marked on its control instead.
 */
export function settingsForm(onEdit) {
  const fields = {};
  const rows = {};
  const hints = {};
  let op = "conv2d";

  function row(key, label, control, hint = "") {
    fields[key] = control;
    control.id = `cx-${key}`;
    hints[key] = h("span", { class: "cx-hint", id: `cx-${key}-hint` }, hint);
    control.setAttribute("aria-describedby", hints[key].id);
    const text = h("label", { for: control.id }, label);
    rows[key] = h(
      "div",
      { class: `cx-field cx-${control.type || "select"}`, "data-key": key },
      text,
      control,
      hints[key],
    );
    return rows[key];
  }
  const text = (inputmode = "numeric") =>
    h("input", { type: "text", inputmode, autocomplete: "off", spellcheck: "false", size: 6 });
  const codeLabel = (key) => h("code", {}, key);

  const opSelect = h(
    "select",
    {},
    OPERATIONS.map((name) => h("option", { value: name }, name)),
  );
  const modeSelect = h(
    "select",
    {},
    ["zeros", "reflect", "replicate", "circular"].map((m) => h("option", { value: m }, m)),
  );
  const checkbox = () => h("input", { type: "checkbox" });

  const form = h(
    "form",
    { class: "cx-settings", "aria-label": "Settings", onsubmit: (event) => event.preventDefault() },
    h(
      "fieldset",
      {},
      h("legend", {}, "Operation"),
      row("op", "operation", opSelect),
      row("flip", "flip the kernel (true convolution)", checkbox()),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Input x"),
      SHAPE.map(([key, label, hint]) => row(key, label, text(), hint)),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Layer"),
      row("out_channels", codeLabel("out_channels"), text()),
      row("groups", codeLabel("groups"), text()),
      TUPLE.map((key) => row(key, codeLabel(key), text(key === "padding" ? "text" : "numeric"))),
      row("padding_mode", codeLabel("padding_mode"), modeSelect),
      Object.keys(CHECKS)
        .filter((key) => key !== "flip")
        .map((key) => row(key, codeLabel(key), checkbox())),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Uneven padding: ", h("code", {}, "F.pad"), " before the layer"),
      PAD.map((side) => row(side, side, text(), "empty: 0")),
    ),
  );

  // What a control holds, as a value of the setting; {problem} when it cannot be read.
  function read(key) {
    const raw = fields[key].value.trim();
    if (key === "op" || key === "padding_mode") return { value: raw };
    if (key in CHECKS) return { value: fields[key].checked };
    if (key === "out_channels" || key === "groups") {
      if (!raw) return { value: undefined };
      return INTEGER.test(raw) ? { value: Number(raw) } : { problem: "an integer, please" };
    }
    if (!raw) return { value: undefined };
    const parsed = parseHash(`${key}=${encodeURIComponent(raw)}`);
    return key in parsed.state
      ? { value: parsed.state[key] }
      : { problem: parsed.problems[0].replace(`${key}: `, "") };
  }

  function readShape() {
    const keys = SHAPE.map(([key]) => key).filter((key) => applies(key, op));
    const values = keys.map((key) => fields[key].value.trim());
    const bad = keys.find((key, i) => (key !== "N" || values[i]) && !INTEGER.test(values[i]));
    if (bad) return { key: bad, problem: "an integer, please" };
    return { value: values.filter((v) => v !== "").map(Number) };
  }

  function readPad() {
    const keys = PAD.filter((key) => applies(key, op));
    const values = keys.map((key) => fields[key].value.trim() || "0");
    const bad = keys.find((key, i) => !INTEGER.test(values[i]));
    if (bad) return { key: bad, problem: "an integer, please" };
    const pad = values.map(Number);
    if (pad.every((v) => v === 0)) return { value: undefined };
    return { value: pad.length === 4 && pad[2] === 0 && pad[3] === 0 ? pad.slice(0, 2) : pad };
  }

  function mark(key, problem) {
    fields[key].setAttribute("aria-invalid", problem ? "true" : "false");
    hints[key].textContent = problem
      ? `Not read: ${problem}`
      : (FIXED_HINTS[key] ?? hintOf(key, op));
    hints[key].classList.toggle("cx-bad", Boolean(problem));
  }

  // Every control reports an "input" event (text, select and checkbox alike).
  form.addEventListener("input", (event) => {
    const key = event.target.id.slice(3);
    const settingKey = GROUP[key] ?? key;
    const result =
      settingKey === "input" ? readShape() : settingKey === "pad" ? readPad() : read(key);
    const members =
      settingKey === key ? [key] : Object.keys(GROUP).filter((k) => GROUP[k] === settingKey);
    for (const k of members)
      mark(k, result.problem && (result.key ?? key) === k ? result.problem : "");
    if (!result.problem) onEdit(settingKey, result.value);
  });

  /** Show `state` in the controls, and only the controls its operation takes. */
  function show(state) {
    op = state.op;
    const spatial = spatialOf(op);
    const input = state.input;
    const tail = (i) => (input.length - i - 1 >= 0 ? String(input[input.length - i - 1]) : "");
    const shape = {
      W: tail(0),
      H: spatial === 2 ? tail(1) : "",
      C: tail(spatial),
      N: tail(spatial + 1),
    };
    for (const [key, control] of Object.entries(fields)) {
      rows[key].hidden = !applies(key, op) && !(key in state && key !== "input");
      const value =
        key in shape ? shape[key] : PAD.includes(key) ? state.pad?.[PAD.indexOf(key)] : state[key];
      if (key in CHECKS) control.checked = value ?? CHECKS[key];
      else if (key === "padding_mode") control.value = value ?? "zeros";
      else control.value = value === undefined ? "" : [].concat(value).join(",");
      mark(key, "");
    }
    fields.W.previousSibling.textContent = spatial === 2 ? "width W" : "length L";
  }

  return { element: form, show };
}
