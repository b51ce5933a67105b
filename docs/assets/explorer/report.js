// What PyTorch makes of the setting, in words and code: the error it raises, or the
// output shape with each axis's formula worked out, the rows a stride never reads, the
// weight's shape, the PyTorch code (with a copy button), and for a transposed
// convolution the output_padding that gives a wanted size.
import { outputPaddingFor } from "./arithmetic.js";
import { count, h, shapeText, words } from "./dom.js";

const AXIS_CELLS = { H: ["row", "rows"], W: ["column", "columns"], L: ["position", "positions"] };

/** The Python a reader can run: the input, F.pad when the setting has it, the layer. */
export function pythonCode(state, result) {
  const lines = ["import torch"];
  if (result.fpad) lines.push("import torch.nn.functional as F");
  lines.push("from torch import nn", "", `x = torch.zeros(${state.input.join(", ")})`);
  if (result.fpad) lines.push(`x = ${result.fpad}`);
  if (result.torch) lines.push(`layer = ${result.torch}`);
  if (state.flip && result.ok)
    lines.push(
      `# flip=true: a true convolution is this layer with its kernel turned by 180°: weight.flip(${state.op.endsWith("2d") ? "-2, -1" : "-1"})`,
    );
  lines.push(`y = layer(x)${result.ok ? `  # torch.Size(${shapeText(result.outputShape)})` : ""}`);
  return lines.join("\n");
}

// Put text on the clipboard; without the Clipboard API (or its permission), through a
// selected text area, as browsers did before it.
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { class: "cx-offscreen", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    area.remove();
    return done;
  }
}

export function resultPanel(onUse) {
  const alert = h("div", { class: "cx-error", role: "alert", id: "cx-error" });
  const notes = h("div", { class: "cx-notes", role: "status" });
  const code = h("code", { id: "cx-code" });
  const status = h("span", { class: "cx-copied", role: "status" });
  const copy = h("button", { type: "button", class: "md-button", id: "cx-copy" }, "Copy the code");
  copy.addEventListener("click", async () => {
    status.textContent = (await copyText(code.textContent))
      ? "Copied."
      : "Could not copy: select the code and copy it.";
  });
  const shape = h("p", { class: "cx-shape", id: "cx-shape" });
  const axes = h("ul", { class: "cx-axes", id: "cx-axes" });
  const weights = h("p", { class: "cx-weights", id: "cx-weights" });

  // The reverse question of a transposed convolution: which output_padding gives a size?
  const wanted = [
    h("input", { type: "text", inputmode: "numeric", size: 4, id: "cx-want-0" }),
    h("input", { type: "text", inputmode: "numeric", size: 4, id: "cx-want-1" }),
  ];
  const answer = h("p", { class: "cx-answer", role: "status", id: "cx-want-answer" });
  const wantLabels = [
    h("label", { for: "cx-want-0" }, "height"),
    h("label", { for: "cx-want-1" }, "width"),
  ];
  const question = h(
    "fieldset",
    { class: "cx-question" },
    h("legend", {}, "I want this output size: which ", h("code", {}, "output_padding"), "?"),
    h("div", { class: "cx-inline" }, wantLabels[0], wanted[0], wantLabels[1], wanted[1]),
    answer,
  );
  let current = null;
  function ask() {
    const { state } = current;
    const spatial = state.op.endsWith("2d") ? 2 : 1;
    const sizes = wanted.slice(0, spatial).map((field) => field.value.trim());
    answer.replaceChildren();
    if (sizes.some((v) => !/^\d+$/.test(v)))
      return void answer.append("Type the size you want along each axis.");
    const found = outputPaddingFor(state, sizes.map(Number));
    if (!found.ok) return void answer.append(`No output_padding gives it: ${found.reason}.`);
    const use = h("button", { type: "button", class: "md-button" }, "Use it");
    use.addEventListener("click", () => onUse("output_padding", found.output_padding));
    answer.append(
      h("code", {}, `output_padding=${[].concat(found.output_padding).join(",")}`),
      ` gives ${shapeText(found.outputShape)}. `,
      use,
    );
  }
  wanted.forEach((field) => field.addEventListener("input", ask));

  const element = h(
    "section",
    { class: "cx-result", "aria-labelledby": "cx-result-title" },
    h("h2", { id: "cx-result-title" }, "What PyTorch makes of it"),
    alert,
    notes,
    shape,
    axes,
    weights,
    h(
      "div",
      { class: "cx-code" },
      h("pre", {}, code),
      h("div", { class: "cx-copy" }, copy, status),
    ),
    question,
  );

  /** Show `result` (evaluate's answer for `state`); `notes` lists what the address lost. */
  function show(state, result, problems = []) {
    current = { state, result };
    alert.replaceChildren();
    if (!result.ok) {
      const what =
        result.errorType === "SettingError"
          ? "Not a setting the explorer can pass to PyTorch:"
          : `PyTorch raises ${result.errorType}:`;
      alert.append(h("p", {}, h("strong", {}, what)), h("pre", {}, h("code", {}, result.error)));
    }
    notes.replaceChildren(...problems.map((text) => h("p", {}, `From the address: ${text}.`)));
    code.textContent = pythonCode(state, result);
    status.textContent = "";
    shape.replaceChildren();
    axes.replaceChildren();
    weights.replaceChildren();
    const transposed = state.op.startsWith("conv_transpose");
    question.hidden = !transposed || !result.ok;
    if (!result.ok) return;
    shape.append("Output shape ", h("code", {}, shapeText(result.outputShape)));
    if (result.fpad)
      shape.append(`; F.pad makes the input `, h("code", {}, shapeText(result.paddedShape)));
    for (const axis of result.axes) {
      const [one, many] = AXIS_CELLS[axis.axis];
      const item = h("li", {}, h("strong", {}, axis.axis), ": ", h("code", {}, axis.formula));
      if (axis.unread.length)
        item.append(
          `. Never read: ${count(axis.unread.length, one, many)}, ${words(axis.unread.map(String))} (of ${axis.input}).`,
        );
      axes.append(item);
    }
    if (result.weightShape) {
      weights.append("Weight ", h("code", {}, shapeText(result.weightShape)));
      if (result.biasShape) weights.append(", bias ", h("code", {}, shapeText(result.biasShape)));
      weights.append(`: ${result.parameterCount.toLocaleString("en")} parameters.`);
    } else weights.append("Pooling has no weights: no parameters.");
    wantLabels[1].hidden = wanted[1].hidden = result.axes.length < 2;
    wantLabels[0].textContent = result.axes.length < 2 ? "length" : "height";
    ask();
  }

  return { element, show };
}
