/**
 * # Practice questions: what shape comes out, or what does PyTorch say?
 *
 * Pure functions, no DOM, no globals: the practice page (practice.js) draws what these
 * return, and tests/assets/test_practice_questions.py checks them against live PyTorch.
 * Every answer comes from the explorer's arithmetic (../explorer/arithmetic.js, itself
 * swept against PyTorch); this module only draws settings and words the answer.
 *
 * - `question(seed, number)`: question `number` (1, 2, …) of the set `seed` (an unsigned
 *   32-bit integer). The same seed and number give the same question in every browser.
 *   A question is a valid layer and input (`base`), and for a fair share of questions one
 *   deliberate fault in it (`fault`), which PyTorch refuses with the error in `answer`.
 * - `parseAnswer(text)`, `judge(question, answer)`: read and mark what the reader typed.
 * - `worked(question)`: the worked answer, as lines of text.
 * - `seedFrom(text)`, `readHash(hash)`, `formatPracticeHash(seed, number)`: the page's
 *   address, `#seed=…&question=…`, so that a lecturer can share a set of questions.
 */
import { evaluate, formatHash, parseHash } from "../explorer/arithmetic.js";

/** The share of questions with a fault in them, so that PyTorch raises. */
export const FAULTY_SHARE = 0.4;

const OPS = [
  "conv1d",
  "conv2d",
  "conv_transpose1d",
  "conv_transpose2d",
  "max_pool1d",
  "max_pool2d",
  "avg_pool1d",
  "avg_pool2d",
];
const CLASSES = {
  conv1d: "Conv1d",
  conv2d: "Conv2d",
  conv_transpose1d: "ConvTranspose1d",
  conv_transpose2d: "ConvTranspose2d",
  max_pool1d: "MaxPool1d",
  max_pool2d: "MaxPool2d",
  avg_pool1d: "AvgPool1d",
  avg_pool2d: "AvgPool2d",
};

// ---------------------------------------------------------------------------------------
// Random numbers that are the same everywhere: mulberry32, seeded per question.

function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Question n of a set: its own stream, so that question 7 does not depend on how many
// draws questions 1 to 6 took.
const streamOf = (seed, number) =>
  generator((Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(number, 0x9e3779b9)) >>> 0);

const between = (r, low, high) => low + Math.floor(r() * (high - low + 1));
const pick = (r, items) => items[Math.floor(r() * items.length)];
const chance = (r, p) => r() < p;

/** A seed from any text: a decimal integer is itself (mod 2³²), anything else is hashed. */
export function seedFrom(text) {
  const value = String(text ?? "").trim();
  if (/^\d+$/.test(value)) return Number(BigInt(value) % 4294967296n);
  let hash = 0x811c9dc5; // FNV-1a
  for (const char of value) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `seed=…&question=…` of the practice page's address; missing parts are null. */
export function readHash(hash) {
  const params = {};
  for (const part of String(hash ?? "")
    .replace(/^#/, "")
    .split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0) params[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const seed = params.seed === undefined ? null : seedFrom(params.seed);
  const number = /^\d+$/.test(params.question ?? "") ? Number(params.question) : 0;
  return { seed, number: number >= 1 ? number : null };
}

export const formatPracticeHash = (seed, number) => `seed=${seed >>> 0}&question=${number}`;

// ---------------------------------------------------------------------------------------
// Valid settings

const kindOf = (op) =>
  op.startsWith("conv_t") ? "transposed" : op.startsWith("conv") ? "conv" : op.slice(0, 3);
const spatialOf = (op) => (op.endsWith("2d") ? 2 : 1);

// A pair of equal numbers is written as one number, as one would write it.
const tidy = (pair) => (pair[0] === pair[1] ? pair[0] : pair);

// A number, or for a 2-D layer now and then a pair.
const sized = (r, spatial, low, high, pairs = 0.25) =>
  spatial === 2 && chance(r, pairs)
    ? tidy([between(r, low, high), between(r, low, high)])
    : between(r, low, high);

function drawInput(r, op) {
  const spatial = spatialOf(op);
  const kind = kindOf(op);
  const channels =
    kind === "conv" || kind === "transposed"
      ? pick(r, [1, 2, 3, 4, 6, 8, 16])
      : pick(r, [1, 3, 8, 16]);
  const side = spatial === 1 ? () => between(r, 5, 32) : () => between(r, 4, 16);
  const first = side();
  const sizes = spatial === 1 ? [first] : [first, chance(r, 0.5) ? first : side()];
  const batch = chance(r, 0.15) ? [] : [pick(r, [1, 1, 2, 4, 8])];
  return [...batch, channels, ...sizes];
}

function drawConv(r, op, input) {
  const spatial = spatialOf(op);
  const channels = input[input.length - spatial - 1];
  const state = { op, input, kernel_size: sized(r, spatial, 1, 5) };
  state.out_channels = pick(r, [channels, 2 * channels, 4, 8, 16]);
  const groups = [2, 3, 4].filter((g) => channels % g === 0 && state.out_channels % g === 0);
  if (groups.length && chance(r, 0.25)) state.groups = pick(r, groups);
  if (chance(r, 0.4)) state.stride = sized(r, spatial, 2, 3);
  if (chance(r, 0.2)) state.dilation = 2;
  if (kindOf(op) === "transposed") {
    if (chance(r, 0.5)) state.padding = sized(r, spatial, 1, 2);
    const stride = Math.max(...[].concat(state.stride ?? 1));
    if (stride > 1 && chance(r, 0.4)) state.output_padding = between(r, 1, stride - 1);
  } else if (!state.stride && chance(r, 0.25)) {
    state.padding = "same";
  } else if (chance(r, 0.1)) {
    state.padding = "valid";
  } else if (chance(r, 0.6)) {
    state.padding = sized(r, spatial, 1, 2);
  }
  return state;
}

function drawPool(r, op, input) {
  const spatial = spatialOf(op);
  const kernel = between(r, 2, 4);
  const state = { op, input, kernel_size: kernel };
  if (chance(r, 0.5)) state.stride = between(r, 1, 3);
  if (chance(r, 0.4)) state.padding = between(r, 1, Math.floor(kernel / 2));
  if (op.startsWith("max") && chance(r, 0.15)) state.dilation = 2;
  if (chance(r, 0.3)) state.ceil_mode = true;
  if (spatial === 2 && chance(r, 0.2)) state.kernel_size = tidy([kernel, between(r, 2, 4)]);
  return state;
}

// The setting as the explorer's address has it, so the link carries exactly this setting.
const canonical = (state) => parseHash(formatHash(state)).state;

function drawValid(r, ops = OPS) {
  for (;;) {
    const op = pick(r, ops);
    const input = drawInput(r, op);
    const kind = kindOf(op);
    const state = canonical(
      kind === "conv" || kind === "transposed" ? drawConv(r, op, input) : drawPool(r, op, input),
    );
    const result = evaluate(state);
    if (result.ok && result.outputShape.every((n) => n > 0)) return state;
  }
}

// ---------------------------------------------------------------------------------------
// Faults: one change that PyTorch refuses, and why, in words built from the setting

// A number or a tuple, as one value per spatial axis (what PyTorch's _pair does).
const each = (value, spatial) =>
  Array.isArray(value) ? value.slice() : Array(spatial).fill(value ?? 1);
const axisName = (spatial, i) => (spatial === 1 ? "the length" : ["the height", "the width"][i]);

const CONVS = OPS.filter((op) => kindOf(op) === "conv");
const TRANSPOSED = OPS.filter((op) => kindOf(op) === "transposed");
const POOLS = OPS.filter((op) => kindOf(op) === "max" || kindOf(op) === "avg");

// Each fault: the layers it applies to, how often it is drawn (the common mistakes more
// often than the curiosities), and the change. Named for the tests.
const FAULTS = {
  // A kernel wider than the padded input.
  "kernel-too-big": {
    ops: CONVS,
    weight: 3,
    change(s, r) {
      const spatial = spatialOf(s.op);
      const i = between(r, 0, spatial - 1);
      const n = s.input[s.input.length - spatial + i];
      const padding = typeof s.padding === "string" ? 0 : each(s.padding ?? 0, spatial)[i];
      const kernel = each(s.kernel_size, spatial);
      const dilation = each(s.dilation, spatial)[i];
      // The smallest kernel whose span d·(k − 1) + 1 is more than n + 2·p, or one more.
      kernel[i] = Math.floor((n + 2 * padding - 1) / dilation) + 2 + between(r, 0, 1);
      const changed = { ...s, kernel_size: spatial === 1 ? kernel[0] : kernel };
      if (typeof s.padding === "string") delete changed.padding; // 'same' would make room
      return changed;
    },
  },
  // A pooling window that does not fit once.
  "window-too-big": {
    ops: POOLS,
    weight: 2,
    change(s, r) {
      const spatial = spatialOf(s.op);
      const sizes = s.input.slice(-spatial).map((n) => Math.min(n, between(r, 1, 3)));
      const kernel = Math.max(...sizes) + between(r, 1, 2);
      const { padding, ceil_mode, ...rest } = s; // ceil_mode would make room for a window
      return { ...rest, input: [...s.input.slice(0, -spatial), ...sizes], kernel_size: kernel };
    },
  },
  "groups-in": {
    ops: [...CONVS, ...TRANSPOSED],
    weight: 2,
    change(s, r) {
      const spatial = spatialOf(s.op);
      const input = s.input.slice();
      const c = input.length - spatial - 1;
      const groups = pick(r, [2, 4]);
      input[c] = pick(r, [3, 5, 6, 9]);
      if (input[c] % groups === 0) input[c] += 1;
      return { ...s, input, out_channels: groups * between(r, 1, 4), groups };
    },
  },
  "groups-out": {
    ops: [...CONVS, ...TRANSPOSED],
    weight: 2,
    change(s, r) {
      const spatial = spatialOf(s.op);
      const input = s.input.slice();
      const groups = pick(r, [2, 3]);
      input[input.length - spatial - 1] = groups * between(r, 1, 3);
      return { ...s, input, groups, out_channels: groups * between(r, 1, 3) + 1 };
    },
  },
  "same-with-stride": {
    ops: CONVS,
    weight: 2,
    change: (s, r) => ({ ...s, padding: "same", stride: between(r, 2, 3) }),
  },
  "output-padding": {
    ops: TRANSPOSED,
    weight: 2,
    change(s, r) {
      const stride = between(r, 1, 3);
      const { dilation, ...rest } = s;
      return { ...rest, stride, output_padding: stride + between(r, 0, 1) };
    },
  },
  "pool-padding": {
    ops: POOLS,
    weight: 2,
    change(s, r) {
      const kernel = Math.min(...[].concat(s.kernel_size));
      const { dilation, ...rest } = s;
      return { ...rest, kernel_size: kernel, padding: Math.floor(kernel / 2) + between(r, 1, 2) };
    },
  },
  // An image without its channel axis, or a sequence without its channel axis.
  "missing-axis": {
    ops: OPS,
    weight: 2,
    change(s) {
      const spatial = spatialOf(s.op);
      const { groups, out_channels, ...rest } = s;
      return { ...rest, input: s.input.slice(-spatial) };
    },
  },
  "padding-word": {
    ops: [...TRANSPOSED, ...POOLS],
    weight: 1,
    change: (s, r) => ({ ...s, padding: pick(r, ["same", "valid"]) }),
  },
  "ceil-mode-on-conv": {
    ops: [...CONVS, ...TRANSPOSED],
    weight: 1,
    change: (s) => ({ ...s, ceil_mode: true }),
  },
};

// A fault drawn by weight, on a valid layer of a kind it applies to: {name, base, state},
// or null when twenty tries found no change PyTorch refuses.
function drawFault(r) {
  const names = Object.keys(FAULTS);
  const total = names.reduce((sum, name) => sum + FAULTS[name].weight, 0);
  for (let tries = 0; tries < 20; tries++) {
    let left = r() * total;
    const name = names.find((n) => (left -= FAULTS[n].weight) < 0) ?? names[0];
    const base = drawValid(r, FAULTS[name].ops);
    const state = canonical(FAULTS[name].change(base, r));
    const result = evaluate(state);
    if (!result.ok && result.errorType !== "SettingError") return { name, base, state };
  }
  return null;
}

/** Why PyTorch refuses a faulty setting: one sentence with the setting's numbers. */
function why(fault, state) {
  const spatial = spatialOf(state.op);
  const cls = CLASSES[state.op];
  const sizes = state.input.slice(-spatial);
  const channels = state.input.length > spatial ? state.input[state.input.length - spatial - 1] : 1;
  const kernel = each(state.kernel_size, spatial);
  const dilation = each(state.dilation, spatial);
  const padding = each(typeof state.padding === "string" ? 0 : (state.padding ?? 0), spatial);
  switch (fault) {
    case "kernel-too-big": {
      const i = kernel.findIndex((k, j) => dilation[j] * (k - 1) + 1 > sizes[j] + 2 * padding[j]);
      const span = dilation[i] * (kernel[i] - 1) + 1;
      return (
        `Along ${axisName(spatial, i)}, the kernel spans d·(k − 1) + 1 = ${dilation[i]}·(${kernel[i]} − 1) + 1 = ${span} cells, ` +
        `but the padded input has only n + 2·p = ${sizes[i]} + 2·${padding[i]} = ${sizes[i] + 2 * padding[i]}: ` +
        "the kernel does not fit once, and a convolution never lets it hang over the edge."
      );
    }
    case "window-too-big":
      return (
        `The pooling window, ${kernel.join("×")}, is larger than the input, ${sizes.join("×")}, ` +
        "so it does not fit once: no output cell is left, and PyTorch refuses an empty output."
      );
    case "groups-in":
      return (
        `groups=${state.groups} splits the input's channels into ${state.groups} equal groups, ` +
        `but ${channels} channels do not split into ${state.groups} equal parts.`
      );
    case "groups-out":
      return (
        `groups=${state.groups} makes ${state.groups} groups of output channels too, ` +
        `but out_channels=${state.out_channels} is not a multiple of ${state.groups}.`
      );
    case "same-with-stride":
      return (
        `padding='same' promises an output as large as the input; with stride=${state.stride} ` +
        "the output is smaller whatever the padding, so PyTorch refuses the pair."
      );
    case "output-padding":
      return (
        `output_padding adds cells at the end of the output that no input cell reaches; it must be smaller ` +
        `than the stride or the dilation, and output_padding=${state.output_padding} is not smaller than ` +
        `stride=${state.stride} (dilation is 1).`
      );
    case "pool-padding":
      return (
        `A pooling layer pads at most half its window on each side: padding=${state.padding} ` +
        `is more than ${kernel[0]} // 2 = ${Math.floor(kernel[0] / 2)} for kernel_size=${kernel[0]}.`
      );
    case "missing-axis": {
      const want = spatial === 1 ? "(C, L) or (N, C, L)" : "(C, H, W) or (N, C, H, W)";
      return (
        `nn.${cls} takes an input shaped ${want}; x has ${state.input.length} ` +
        `${state.input.length === 1 ? "axis" : "axes"}, only the spatial ones, with no channel axis.`
      );
    }
    case "padding-word":
      return (
        `'same' and 'valid' are words only nn.Conv1d and nn.Conv2d understand; nn.${cls} ` +
        "takes its padding as numbers, and the string reaches the operation as it is."
      );
    case "ceil-mode-on-conv":
      return (
        `ceil_mode is an argument of the pooling layers; nn.${cls} has no such argument, ` +
        "so Python refuses the call before PyTorch builds anything."
      );
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------
// The question

/** The Python lines of a setting: the input, the layer, the call. */
function codeLines(state, result) {
  return [`x = torch.zeros(${state.input.join(", ")})`, `layer = ${result.torch}`, "y = layer(x)"];
}

/**
 * Question `number` (from 1) of set `seed`: `{seed, number, state, base, fault, answer,
 * code, hash}`. `answer` is the explorer's `evaluate(state)`; `fault` names the change
 * made to the valid setting `base` (null for a valid question); `hash` is the explorer's
 * address of `state`.
 */
export function question(seed, number) {
  const r = streamOf(seed, number);
  const fault = chance(r, FAULTY_SHARE) ? drawFault(r) : null;
  const base = fault ? fault.base : drawValid(r);
  const state = fault ? fault.state : base;
  const answer = evaluate(state);
  return {
    seed: seed >>> 0,
    number,
    state,
    base,
    fault: fault ? fault.name : null,
    answer,
    code: codeLines(state, answer).join("\n"),
    hash: formatHash(state),
  };
}

// ---------------------------------------------------------------------------------------
// Answers

const SHAPE =
  /^\s*(?:torch\.Size\s*\(\s*)?[[(]?\s*(\d+(?:\s*[,x×*\s]\s*\d+)*)\s*,?\s*[\])]?\s*\)?\s*$/;

/**
 * What the reader typed, as a shape: `1, 8, 4, 5`, `[1, 8, 4, 5]`, `(1, 8, 4, 5)`,
 * `torch.Size([1, 8, 4, 5])`, `1 8 4 5` or `1×8×4×5` all read as `[1, 8, 4, 5]`.
 * Returns `{ok: true, shape}` or `{ok: false, problem}`.
 */
export function parseAnswer(text) {
  const value = String(text ?? "");
  if (!value.trim()) {
    return { ok: false, problem: "Type the output's shape (say 1, 8, 4, 5) before checking." };
  }
  const match = SHAPE.exec(value);
  if (!match) {
    return {
      ok: false,
      problem: "Write the shape as whole numbers separated by commas, such as 1, 8, 4, 5.",
    };
  }
  return {
    ok: true,
    shape: match[1]
      .split(/[^\d]+/)
      .filter(Boolean)
      .map(Number),
  };
}

/** Whether an answer (`{raises: true}` or `{shape}`) is PyTorch's. */
export function judge(q, answer) {
  if (answer.raises) return !q.answer.ok;
  return (
    q.answer.ok &&
    answer.shape.length === q.answer.outputShape.length &&
    answer.shape.every((n, i) => n === q.answer.outputShape[i])
  );
}

const GENERAL = {
  conv: "out = ⌊(n + 2·p − d·(k − 1) − 1) / s⌋ + 1",
  transposed: "out = (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1",
  max: "out = ⌊(n + 2·p − d·(k − 1) − 1) / s⌋ + 1",
  avg: "out = ⌊(n + 2·p − d·(k − 1) − 1) / s⌋ + 1",
};

/**
 * The worked answer: `{ok, summary, lines, formula, symbols, error, errorType, why}`. For a layer
 * PyTorch runs, `lines` says where each size of y comes from, with the formula of each
 * spatial axis worked out; for one it refuses, `error` is PyTorch's message and `why`
 * says what in the setting it refuses.
 */
export function worked(q) {
  const { state, answer } = q;
  if (!answer.ok) {
    return {
      ok: false,
      summary: `PyTorch raises ${answer.errorType}.`,
      error: answer.error,
      errorType: answer.errorType,
      why: why(q.fault, state),
      lines: [],
    };
  }
  const spatial = spatialOf(state.op);
  const kind = kindOf(state.op);
  const shape = answer.outputShape;
  const lines = [];
  const batched = state.input.length === spatial + 2;
  if (batched) lines.push(`N = ${shape[0]}: the batch size, as in x.`);
  else lines.push("x has no batch axis, so neither has y.");
  const channels = shape[shape.length - spatial - 1];
  if (kind === "conv" || kind === "transposed") {
    lines.push(`C = ${channels}: out_channels, the number of kernels.`);
  } else {
    lines.push(`C = ${channels}: pooling keeps every channel of x.`);
  }
  if (state.padding === "same") {
    lines.push(
      "padding='same' pads d·(k − 1) cells along each axis, as evenly as it can (any odd one on the right), so that out = n.",
    );
  } else if (state.padding === "valid") {
    lines.push("padding='valid' is no padding: p = 0.");
  }
  for (const axis of answer.axes) lines.push(`${axis.axis}: ${axis.formula}`);
  const ceil = (kind === "max" || kind === "avg") && state.ceil_mode;
  return {
    ok: true,
    summary: `y.shape is torch.Size([${shape.join(", ")}]).`,
    formula: ceil ? GENERAL[kind].replace("⌊", "⌈").replace("⌋", "⌉") : GENERAL[kind],
    symbols:
      "n is the input's size along the axis, k the kernel_size, s the stride, p the padding, " +
      `d the dilation${kind === "avg" ? " (1: average pooling has none)" : ""}` +
      (ceil
        ? "; with ceil_mode the division rounds up, and a last window that would start past the input is dropped."
        : "."),
    lines,
  };
}
