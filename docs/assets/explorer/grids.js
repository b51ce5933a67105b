// The grids: the input (one channel, its padding showing the values the padding really
// holds), the kernel (its weights, as they lie over the input) and the output, as cells.
// The shared player steps over the output cells, lighting the cells each one reads;
// focusing or hovering an output cell does the same and shows its formula, and a weight
// lights every input it touches. The cells come from windows/window2d (arithmetic.js).
import { Player } from "../player.js";
import { describeOutput, modulePadValues, padValues, window2d, windows } from "./arithmetic.js";
import { count, h, words } from "./dom.js";

const MOST = 40; // cells drawn along an axis; beyond that, the numbers alone
const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
const PADDED_WITH = {
  zeros: "zeros",
  constant: "zeros",
  reflect: "reflected copies",
  replicate: "copies of the edge",
  circular: "copies from the other side",
};

const kindOf = (op) =>
  op.startsWith("conv_t") ? "transposed" : op.startsWith("conv") ? "conv" : op.slice(0, 3);
const index = (xs) => `[${xs.join(",")}]`;
const times = (xs) => xs.join(" × ");

// Padding on each side in words: "1 above, 1 below, 2 left, 2 right" (1-D: left, right).
function sides(pairs) {
  const names = pairs.length === 2 ? ["above", "below", "left", "right"] : ["left", "right"];
  const said = pairs
    .flat()
    .map((n, i) => (n ? `${n} ${names[i]}` : ""))
    .filter(Boolean);
  return said.length ? said.join(", ") : "";
}

// The input as drawn, along one axis: the layer's padding outside F.pad's, then the input.
function line(ax, kind) {
  const layer = kind === "transposed" ? [0, 0] : ax.padding;
  const cells = [];
  const add = (zone, n, first = null) => {
    for (let i = 0; i < n; i++) cells.push({ zone, source: first === null ? null : first + i });
  };
  add("layer", layer[0]);
  add("pad", ax.fpad[0]);
  add(null, ax.input, 0);
  add("pad", ax.fpad[1]);
  add("layer", layer[1]);
  return cells;
}

// Sample values of x (1 to 9, row by row), with what F.pad and the layer's padding add.
function paddedValues(state, axes, kind) {
  const [rows, cols] = axes.length === 2 ? [axes[0].input, axes[1].input] : [1, axes[0].input];
  const sample = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => ((i * cols + j) % 9) + 1),
  );
  let values = axes.length === 2 ? sample : sample[0];
  const mode = state.padding_mode ?? "zeros";
  if (state.pad)
    values = padValues(
      values,
      state.pad,
      kind === "conv" || kind === "transposed" ? mode : "constant",
    );
  if (kind === "conv" && Array.isArray(values)) values = modulePadValues(values, state);
  else if (kind !== "transposed" && Array.isArray(values))
    values = padValues(
      values,
      axes
        .slice()
        .reverse()
        .flatMap((ax) => ax.padding),
      "constant",
    );
  if (!Array.isArray(values)) return null;
  return axes.length === 2 ? values : [values];
}

function grid(label, rows, cols, makeCell, role = "grid") {
  const cells = [];
  const element = h("div", { class: "cx-grid", role, "aria-label": label });
  for (let i = 0; i < rows; i++) {
    const row = h("div", { class: "cx-row", role: role === "grid" ? "row" : null });
    cells.push([]);
    for (let j = 0; j < cols; j++) {
      const cell = makeCell(i, j);
      cell.dataset.at = `${i},${j}`;
      cells[i].push(cell);
      row.append(cell);
    }
    element.append(row);
  }
  return { element, cells };
}

export function gridsPanel() {
  const stage = h("div", { class: "cx-stage" });
  const formula = h("p", { class: "cx-formula", id: "cx-formula" });
  const description = h("p", { class: "cx-description", id: "cx-description" });
  const playerRoot = h("div", { class: "convdemo-player" });
  const legend = h(
    "p",
    { class: "cx-legend" },
    [
      ["cx-read", "read by the window"],
      ["cx-now", "the output cell"],
      ["cx-pad", "F.pad's padding"],
      ["cx-layer", "the layer's padding"],
      ["cx-unread", "never read"],
    ].map(([name, text]) =>
      h("span", {}, h("span", { class: `cx-cell cx-swatch ${name}`, "aria-hidden": "true" }), text),
    ),
  );
  const element = h(
    "section",
    { class: "cx-grids", "aria-labelledby": "cx-grids-title" },
    h("h2", { id: "cx-grids-title" }, "The window, step by step"),
    playerRoot,
    stage,
    formula,
    description,
    legend,
  );
  let player = null;
  let view = null;
  let lit = [];

  function light(cell, name) {
    if (!cell) return;
    cell.classList.add(name);
    lit.push([cell, name]);
  }
  function clear() {
    for (const [cell, name] of lit) cell.classList.remove(name);
    lit = [];
  }

  // Light what output cell [i, j] reads, and say its formula.
  function showOutput(i, j) {
    const { state, kind, input, kernel, output, two } = view;
    const position = two ? [i, j] : [j];
    clear();
    const win = window2d(state, position);
    for (const c of win.ok ? win.cells : []) {
      const at = kind === "transposed" ? c.input : c.padding === "outside" ? null : c.padded;
      if (at) light(two ? input[at[0]]?.[at[1]] : input[0][at[0]], "cx-read");
      light(two ? kernel[c.tap[0]][c.tap[1]] : kernel[0][c.tap[0]], "cx-read");
    }
    light(output[i][j], "cx-now");
    const said = describeOutput(state, position);
    formula.textContent = said.ok ? said.text : said.error;
  }

  // Light every input cell (and output cell) that the weight at tap [i, j] touches.
  function showTap(i, j) {
    const { kind, input, kernel, output, two, wins } = view;
    clear();
    const taps = two ? [i, j] : [j];
    const reach = taps.map((t, a) => {
      const ins = new Set();
      const outs = new Set();
      // A transposed convolution's tap lands input i on an output; a window's reads an input.
      const pairs =
        kind === "transposed"
          ? wins[a].footprints
              .filter((f) => f.cells[t].inside)
              .map((f) => [f.input, f.cells[t].output])
          : wins[a].outputs
              .filter((o) => o.taps[t].padding !== "outside")
              .map((o) => [o.taps[t].padded, o.output]);
      for (const [from, to] of pairs) {
        ins.add(from);
        outs.add(to);
      }
      return { ins: [...ins], outs: [...outs] };
    });
    if (!two) reach.unshift({ ins: [0], outs: [0] });
    let real = 0;
    let padding = 0;
    for (const r of reach[0].ins)
      for (const c of reach[1].ins) {
        light(input[r][c], "cx-read");
        if (input[r][c].classList.contains("cx-pad") || input[r][c].classList.contains("cx-layer"))
          padding++;
        else real++;
      }
    for (const r of reach[0].outs) for (const c of reach[1].outs) light(output[r][c], "cx-now");
    light(kernel[i][j], "cx-now");
    const name = kernel[i][j].getAttribute("aria-label");
    const inputs = count(real + padding, "input cell");
    const padded = padding ? ` (${real} of x, ${padding} of padding)` : "";
    const outputs = count(reach[0].outs.length * reach[1].outs.length, "output cell");
    formula.textContent = `${name} touches ${inputs}${padded} and reaches ${outputs}.`;
  }

  const stepOf = (i, j) => i * view.output[0].length + j;
  const restore = () => {
    const columns = view.output[0].length;
    showOutput(Math.floor(player.step / columns), player.step % columns);
  };

  function rove(cells, target) {
    for (const row of cells) for (const cell of row) cell.tabIndex = -1;
    target.tabIndex = 0;
  }

  // Arrow keys, Home and End move between the cells of a grid (one tab stop per grid).
  function keys(gridElement, cells) {
    gridElement.addEventListener("keydown", (event) => {
      const [i, j] = (event.target.dataset.at ?? "").split(",").map(Number);
      const [di, dj] = MOVES[event.key] ?? [0, 0];
      const target =
        event.key === "Home"
          ? cells[i][0]
          : event.key === "End"
            ? cells[i].at(-1)
            : MOVES[event.key]
              ? cells[i + di]?.[j + dj]
              : null;
      if (!target) return;
      event.preventDefault();
      rove(cells, target);
      target.focus();
    });
  }

  /** Draw the grids for `state` and `result` (evaluate's answer); hidden when it failed. */
  function show(state, result) {
    element.hidden = !result.ok;
    element.classList.toggle("cx-failed", !result.ok);
    player?.pause(); // nothing moves on while the grids change under it
    if (!result.ok) return;
    const kind = kindOf(state.op);
    const axes = result.axes;
    const two = axes.length === 2;
    const rowsLine = two ? line(axes[0], kind) : [{ zone: null, source: 0 }];
    const colsLine = line(axes.at(-1), kind);
    const kernelSize = two ? axes.map((ax) => ax.kernel) : [1, axes[0].kernel];
    const outputSize = two ? axes.map((ax) => ax.output) : [1, axes[0].output];
    const sizes = [rowsLine.length, colsLine.length, ...kernelSize, ...outputSize];
    description.textContent = describe(state, result, kind, rowsLine, colsLine);
    stage.replaceChildren();
    formula.textContent = "";
    const tooBig = sizes.some((n) => n > MOST);
    if (tooBig || outputSize[0] * outputSize[1] === 0) {
      playerRoot.hidden = true;
      stage.append(
        h(
          "p",
          {},
          tooBig
            ? `Too large to draw here (more than ${MOST} cells along an axis); the numbers above still hold.`
            : "The output has no cells to draw.",
        ),
      );
      view = null;
      return;
    }
    playerRoot.hidden = false;
    const values = paddedValues(state, axes, kind);
    const wins = axes.map((_, a) => windows(state, a));
    const unread = axes.map((ax) => new Set(ax.unread));
    const unreadRows = two ? unread[0] : new Set();
    const unreadCols = unread.at(-1);

    // The input, with rulers: the index in x of each row and column (blank over padding).
    const ruler = (text) => h("span", { class: "cx-cell cx-ruler" }, text);
    const input = grid(
      `Input x, channel 0${kind === "transposed" ? "" : ", padded"}: see the description below`,
      rowsLine.length,
      colsLine.length,
      (i, j) => {
        const zones = [rowsLine[i].zone, colsLine[j].zone];
        const zone = zones.includes("layer") ? "layer" : zones.includes("pad") ? "pad" : null;
        const text = !values
          ? ""
          : zone === "layer" && kind === "max"
            ? "−∞"
            : String(values[i][j]);
        const cell = h("span", { class: `cx-cell${zone ? ` cx-${zone}` : ""}` }, text);
        const r = rowsLine[i].source;
        const c = colsLine[j].source;
        if (!zone && (unreadRows.has(r) || unreadCols.has(c))) cell.classList.add("cx-unread");
        return cell;
      },
      "img",
    );
    input.element.setAttribute("aria-describedby", description.id);
    input.element.prepend(
      h(
        "div",
        { class: "cx-row" },
        two ? ruler("") : null,
        colsLine.map((c) => ruler(c.source ?? "")),
      ),
    );
    if (two)
      input.element
        .querySelectorAll(".cx-row")
        .forEach((row, i) => i && row.prepend(ruler(rowsLine[i - 1].source ?? "")));

    const pooling = kind === "max" || kind === "avg";
    const weightOf = (t, a) =>
      (kind === "transposed"
        ? wins[a].footprints[0]?.cells[t].weight
        : wins[a].outputs[0]?.taps[t].weight) ?? t;
    const kernel = grid(
      pooling ? "Window" : "Kernel, weights w[0, 0]",
      kernelSize[0],
      kernelSize[1],
      (i, j) => {
        const w = two ? [weightOf(i, 0), weightOf(j, 1)] : [weightOf(j, 0)];
        const tap = two ? [i, j] : [j];
        const label = pooling
          ? `window cell ${index(tap)}`
          : state.flip
            ? `w${index(w)} at tap ${index(tap)}`
            : `w${index(w)}`;
        return h(
          "span",
          { class: "cx-cell cx-kernel", role: "gridcell", tabindex: "-1", "aria-label": label },
          pooling ? "" : w.join(","),
        );
      },
    );
    const output = grid("Output y, channel 0", outputSize[0], outputSize[1], (i, j) =>
      h(
        "span",
        {
          class: "cx-cell cx-output",
          role: "gridcell",
          tabindex: "-1",
          "aria-label": `y${index(two ? [i, j] : [j])}`,
          "aria-describedby": formula.id,
        },
        two ? `${i},${j}` : `${j}`,
      ),
    );
    kernel.cells[0][0].tabIndex = 0;
    keys(kernel.element, kernel.cells);
    keys(output.element, output.cells);
    const figure = (title, g, note) =>
      h(
        "figure",
        { class: "cx-figure" },
        h("figcaption", {}, title, note ? h("span", { class: "cx-note" }, note) : null),
        g.element,
      );
    stage.append(
      figure(
        "Input x",
        input,
        kind === "transposed"
          ? "each cell scales a copy of the kernel"
          : "padded as the layer sees it",
      ),
      figure(
        pooling ? "Window" : "Kernel w",
        kernel,
        state.flip ? "turned by 180°" : pooling ? "no weights" : "",
      ),
      figure("Output y", output, ""),
    );
    view = {
      state,
      kind,
      two,
      wins,
      values,
      input: input.cells,
      kernel: kernel.cells,
      output: output.cells,
    };

    output.element.addEventListener("focusin", (event) => {
      const [i, j] = event.target.dataset.at.split(",").map(Number);
      rove(output.cells, event.target);
      player.go(stepOf(i, j));
    });
    output.element.addEventListener("mouseover", (event) => {
      const at = event.target.dataset.at;
      if (at) showOutput(...at.split(",").map(Number));
    });
    kernel.element.addEventListener("focusin", (event) =>
      showTap(...event.target.dataset.at.split(",").map(Number)),
    );
    kernel.element.addEventListener("mouseover", (event) => {
      const at = event.target.dataset.at;
      if (at) showTap(...at.split(",").map(Number));
    });
    // Leaving a grid shows the focused weight again, or else the player's step.
    for (const g of [kernel.element, output.element]) {
      const back = (inside) =>
        g === kernel.element && inside
          ? showTap(...inside.dataset.at.split(",").map(Number))
          : restore();
      g.addEventListener("mouseleave", () =>
        back(g.contains(document.activeElement) && document.activeElement),
      );
      g.addEventListener("focusout", (event) => !g.contains(event.relatedTarget) && back(null));
    }

    const cells = outputSize[0] * outputSize[1];
    const options = {
      count: cells,
      label: "The window",
      show: (step) => {
        const i = Math.floor(step / outputSize[1]);
        const j = step % outputSize[1];
        showOutput(i, j);
        rove(output.cells, output.cells[i][j]);
      },
      describe: (step) => {
        const said = describeOutput(
          state,
          two ? [Math.floor(step / outputSize[1]), step % outputSize[1]] : [step],
        );
        return said.ok ? shorten(said.text) : said.error;
      },
    };
    const start = player ? Math.min(player.step, cells - 1) : 0;
    if (!player) player = new Player(playerRoot, options);
    else Object.assign(player, options).reset(cells, start);
  }

  return { element, show };
}

// A long formula, cut after a few terms for the line that is read aloud.
function shorten(text, most = 160) {
  if (text.length <= most) return text;
  const cut = text.lastIndexOf(" + ", most);
  return `${text.slice(0, cut > 0 ? cut : most)} + … (the whole formula is under the grids)`;
}

function describe(state, result, kind, rowsLine, colsLine) {
  const axes = result.axes;
  const two = axes.length === 2;
  const fpad = sides(axes.map((ax) => ax.fpad));
  const layer = sides(axes.map((ax) => ax.padding));
  const fill =
    kind === "max"
      ? "−∞"
      : kind === "avg"
        ? "zeros"
        : (PADDED_WITH[state.padding_mode ?? "zeros"] ?? state.padding_mode);
  const fmode =
    kind === "conv" || kind === "transposed"
      ? (PADDED_WITH[state.padding_mode ?? "zeros"] ?? "zeros")
      : "zeros";
  const parts = [
    `Input x, one channel of ${times(axes.map((ax) => ax.input))} ${two ? "cells" : "values"} (sample values 1 to 9, row by row).`,
  ];
  if (fpad) parts.push(`F.pad adds ${fpad}, filled with ${fmode}.`);
  if (layer && kind !== "transposed") parts.push(`The layer pads ${layer} with ${fill}.`);
  const span = axes.map((ax) => ax.span);
  if (kind === "transposed") {
    parts.push(
      `Kernel ${times(axes.map((ax) => ax.kernel))}${state.flip ? ", turned by 180°" : ""}. Each input cell scales a copy of the kernel; the copies lie ${times(axes.map((ax) => ax.stride))} apart and add up${layer ? `; padding crops ${layer} off the output` : ""}.`,
    );
  } else {
    parts.push(
      `The window, ${times(axes.map((ax) => ax.kernel))}${kind === "conv" ? ` weights${state.flip ? " turned by 180°" : ""}` : ""}, covers ${times(span)} cells and moves ${times(axes.map((ax) => ax.stride))} at a step over ${times(two ? [rowsLine.length, colsLine.length] : [colsLine.length])} cells.`,
    );
  }
  parts.push(`Output y: ${times(axes.map((ax) => ax.output))} cells.`);
  const names = two ? ["rows", "columns"] : ["positions"];
  const unread = axes
    .map((ax, a) => (ax.unread.length ? `${names[a]} ${words(ax.unread.map(String))}` : ""))
    .filter(Boolean);
  if (unread.length) parts.push(`No window reads ${unread.join(" or ")} of x.`);
  return parts.join(" ");
}
