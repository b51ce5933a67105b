/**
 * # The explorer's arithmetic: PyTorch 2.13 to the last character
 *
 * Pure functions, no DOM, no globals. Every result is plain JSON. The page's drawing
 * layer calls them; tests/assets/test_explorer_arithmetic.py checks them against live
 * PyTorch. Plain modern JavaScript with no build step (laid out by Prettier, width 100).
 *
 * ## A setting (the URL hash)
 *
 *     op=conv2d&input=1,3,7,9&out_channels=8&kernel_size=3,5&stride=2&padding=1,2
 *
 * The keys, their values and their defaults are the table in docs/explorer.md (“The
 * address of a setting”); `KEY_ORDER` is the order `formatHash` writes them in. A key
 * left out takes its default, and `formatHash` leaves out a key whose value is its default.
 *
 * Every key but `op`, `input`, `pad` and `flip` is the constructor argument of the same
 * name of `nn.Conv1d`, `nn.Conv2d`, `nn.ConvTranspose1d`, `nn.ConvTranspose2d`,
 * `nn.MaxPool1d`, `nn.MaxPool2d`, `nn.AvgPool1d` or `nn.AvgPool2d`, and means what it
 * means there. A key the module does not take (say `ceil_mode` for a convolution) is kept
 * and gives PyTorch's own TypeError.
 *
 * - `in_channels` is the input's channel dimension: the one just before the spatial
 *   ones (`C` of `N,C,H,W` or `C,H,W`); an input with no dimension there counts as 1.
 * - `out_channels` has no default in PyTorch. The explorer's default, the input's
 *   channel count, is the one default that is the explorer's own.
 * - `pad` is the explorer's way to pad unevenly: `F.pad(x, pad, mode)` runs on the input
 *   before the module, in F.pad's order (last axis first: left, right, top, bottom; a
 *   2-D op may give only `l,r`). Its mode is the module's `padding_mode` (`zeros` is
 *   F.pad's `constant`); pooling pads with zeros. The module's own `padding` then applies
 *   as usual. Negative values (cropping) are not part of the vocabulary.
 * - `flip=true` rotates the kernel by 180° (true convolution instead of PyTorch's
 *   cross-correlation). Shapes do not change; `windows` and `describeOutput` show which
 *   weight each tap uses.
 *
 * ## What is exact, and what is assumed
 *
 * `evaluate` gives the output shape, or the exception PyTorch 2.13.0 (CPU, float32)
 * raises for `module = nn.X(in_channels, out_channels, **kwargs)` (keyword arguments in
 * the order above), then `x = torch.zeros(input)`, then `x = F.pad(x, pad, mode)` when
 * `pad` is given, then `module(x)`: its type and its message to the character, the
 * first check PyTorch makes winning. Assumptions, where PyTorch's answer depends on more
 * than the setting:
 * - Python prints a set in hash order, which changes from one process to the next: the
 *   message for a bad `padding_mode` or `padding` string lists the set in one fixed
 *   order, `{'zeros', 'reflect', 'replicate', 'circular'}` and `{'same', 'valid'}`.
 * - PyTorch picks a convolution backend (oneDNN or its own) from the shapes and the
 *   number of threads; a few invalid settings (a kernel of size 0, dilation 0, an empty
 *   transposed output) fail with the chosen backend's message. The explorer assumes
 *   more than one thread, as on any multi-core machine.
 * - Sizes are assumed small enough to allocate.
 *
 * Outside the vocabulary, and so never sent to PyTorch: a value `parseHash` cannot read
 * (it is left out, with a line in `problems`) and a `pad` of the wrong length or with
 * negative values. `evaluate` answers those with `errorType: "SettingError"` and a
 * message of the explorer's own. Every other error is PyTorch's, a tuple of the wrong
 * length's included: it goes to the module as Python would pass it.
 *
 * The functions that take a setting answer `{ok: false, error, errorType}` when
 * PyTorch would raise instead of computing.
 */

// ---------------------------------------------------------------------------------------
// Operations and the vocabulary

const CONV_ARGS = [
  "kernel_size",
  "stride",
  "padding",
  "dilation",
  "groups",
  "bias",
  "padding_mode",
];
const TRANSPOSED_ARGS = [
  "kernel_size",
  "stride",
  "padding",
  "output_padding",
  "groups",
  "bias",
  "dilation",
  "padding_mode",
];
const MAX_ARGS = ["kernel_size", "stride", "padding", "dilation", "ceil_mode"];
const AVG_ARGS = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"];

// kind: conv, transposed, max or avg. init: the class whose __init__ Python names in a
// TypeError (MaxPool1d and MaxPool2d inherit theirs).
const OPS = {
  conv1d: { kind: "conv", spatial: 1, cls: "Conv1d", init: "Conv1d", args: CONV_ARGS },
  conv2d: { kind: "conv", spatial: 2, cls: "Conv2d", init: "Conv2d", args: CONV_ARGS },
  conv_transpose1d: {
    kind: "transposed",
    spatial: 1,
    cls: "ConvTranspose1d",
    init: "ConvTranspose1d",
    args: TRANSPOSED_ARGS,
  },
  conv_transpose2d: {
    kind: "transposed",
    spatial: 2,
    cls: "ConvTranspose2d",
    init: "ConvTranspose2d",
    args: TRANSPOSED_ARGS,
  },
  max_pool1d: { kind: "max", spatial: 1, cls: "MaxPool1d", init: "_MaxPoolNd", args: MAX_ARGS },
  max_pool2d: { kind: "max", spatial: 2, cls: "MaxPool2d", init: "_MaxPoolNd", args: MAX_ARGS },
  avg_pool1d: { kind: "avg", spatial: 1, cls: "AvgPool1d", init: "AvgPool1d", args: AVG_ARGS },
  avg_pool2d: { kind: "avg", spatial: 2, cls: "AvgPool2d", init: "AvgPool2d", args: AVG_ARGS },
};

/** The canonical order of the keys after `op` and `input`. */
export const KEY_ORDER = [
  "out_channels",
  "kernel_size",
  "stride",
  "padding",
  "dilation",
  "output_padding",
  "groups",
  "bias",
  "padding_mode",
  "ceil_mode",
  "count_include_pad",
  "pad",
  "flip",
];

const INT_KEYS = new Set(["out_channels", "groups"]);
const TUPLE_KEYS = new Set(["kernel_size", "stride", "padding", "dilation", "output_padding"]);
const BOOL_KEYS = new Set(["bias", "ceil_mode", "count_include_pad", "flip"]);
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTS = /^-?\d+(,-?\d+)*$/;
const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];

/** The names of the eight operations. */
export const OPERATIONS = Object.keys(OPS);

/** The keyword arguments the module of `op` takes (besides in/out channels). */
export function argumentsOf(op) {
  const info = OPS[op];
  return info
    ? [
        ...(info.kind === "conv" || info.kind === "transposed" ? ["out_channels"] : []),
        ...info.args,
      ]
    : [];
}

// ---------------------------------------------------------------------------------------
// Small arithmetic that C++ and Python do differently from JavaScript

const floorDiv = (a, b) => Math.floor(a / b); // Python's // and ATen's div_rtn
const truncDiv = (a, b) => Math.trunc(a / b); // C++ integer division
const pyMod = (a, b) => ((a % b) + b) % b; // Python's %, for b > 0
const product = (xs) => xs.reduce((a, b) => a * b, 1);

// How C++ prints an IntArrayRef, and how Python prints a tuple or a value.
const sizes = (xs) => `[${xs.join(", ")}]`;
const pyTuple = (xs) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);
function pyValue(v) {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return pyTuple(v);
  return String(v);
}

class TorchError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}
const fail = (type, message) => {
  throw new TorchError(type, message);
};
const check = (ok, message, type = "RuntimeError") => {
  if (!ok) fail(type, message);
};

// ---------------------------------------------------------------------------------------
// The hash

/**
 * Parse a URL hash (with or without its `#`) into a setting. Returns `{state, problems}`:
 * `problems` lists, in words, every part that is not in the vocabulary (those parts are
 * left out of `state`, except that a value of the wrong form is kept for `evaluate` to
 * report).
 */
export function parseHash(hash) {
  const state = {};
  const problems = [];
  const text = String(hash ?? "").replace(/^#/, "");
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    let raw = eq < 0 ? "" : part.slice(eq + 1);
    try {
      raw = decodeURIComponent(raw.replace(/\+/g, " "));
    } catch {
      problems.push(`${key}: the value is not valid URL encoding`);
      continue;
    }
    const parsed = parseValue(key, raw.trim());
    if (parsed.problem) problems.push(parsed.problem);
    if (parsed.ok) state[key] = parsed.value;
  }
  if (state.op === undefined) problems.push("op is missing");
  if (state.input === undefined) problems.push("input is missing");
  if (state.op !== undefined) {
    for (const key of Object.keys(state)) {
      if (
        KEY_ORDER.includes(key) &&
        key !== "pad" &&
        key !== "flip" &&
        !argumentsOf(state.op).includes(key)
      ) {
        problems.push(
          `${key} is not an argument of nn.${OPS[state.op].cls}: PyTorch raises a TypeError`,
        );
      }
    }
  }
  return { state, problems };
}

function parseValue(key, raw) {
  const ints = () => raw.split(",").map(Number);
  if (key === "op") {
    return OPS[raw] ? { ok: true, value: raw } : { problem: `op: unknown operation '${raw}'` };
  }
  if (key === "input") {
    return INTS.test(raw)
      ? { ok: true, value: ints() }
      : { problem: "input: expected comma-separated integers" };
  }
  if (INT_KEYS.has(key)) {
    return /^-?\d+$/.test(raw)
      ? { ok: true, value: Number(raw) }
      : { problem: `${key}: expected an integer` };
  }
  if (TUPLE_KEYS.has(key)) {
    if (INTS.test(raw)) {
      const values = ints();
      return { ok: true, value: values.length === 1 ? values[0] : values };
    }
    if (key === "padding" && WORD.test(raw)) return { ok: true, value: raw };
    return { problem: `${key}: expected an integer or comma-separated integers` };
  }
  if (BOOL_KEYS.has(key)) {
    if (raw === "true" || raw === "false") return { ok: true, value: raw === "true" };
    return { problem: `${key}: expected true or false` };
  }
  if (key === "padding_mode") {
    return WORD.test(raw) ? { ok: true, value: raw } : { problem: "padding_mode: expected a word" };
  }
  if (key === "pad") {
    return INTS.test(raw)
      ? { ok: true, value: ints() }
      : { problem: "pad: expected comma-separated integers" };
  }
  return { problem: `unknown key '${key}'` };
}

// The value a key has when the setting leaves it out (undefined: none, or "given
// explicitly matters", as for a pooling stride).
function defaultOf(op, key, state) {
  const info = OPS[op];
  if (!info || !argumentsOf(op).includes(key)) return undefined;
  switch (key) {
    case "out_channels":
      return state && state.input ? channelsOf(op, state.input) : undefined;
    case "stride":
      return info.kind === "conv" || info.kind === "transposed" ? 1 : undefined;
    case "padding":
    case "output_padding":
      return 0;
    case "dilation":
    case "groups":
      return 1;
    case "bias":
    case "count_include_pad":
      return true;
    case "padding_mode":
      return "zeros";
    case "ceil_mode":
      return false;
    default:
      return undefined;
  }
}

function isDefault(op, key, value, state) {
  if (key === "flip") return value === false;
  const def = defaultOf(op, key, state);
  if (def === undefined) return false;
  // A tuple of the wrong length is not the default, whatever its values.
  if (Array.isArray(value) && typeof def === "number")
    return value.length === OPS[op].spatial && value.every((v) => v === def);
  return value === def;
}

/** The canonical hash of a setting: op, input, then KEY_ORDER; defaults left out. */
export function formatHash(state) {
  const parts = [];
  if (state.op !== undefined) parts.push(`op=${state.op}`);
  if (state.input !== undefined) parts.push(`input=${[].concat(state.input).join(",")}`);
  for (const key of KEY_ORDER) {
    if (!(key in state) || state[key] === undefined) continue;
    if (isDefault(state.op, key, state[key], state)) continue;
    const value = state[key];
    const text = Array.isArray(value) ? value.join(",") : String(value);
    parts.push(`${key}=${encodeURIComponent(text).replace(/%2C/g, ",")}`);
  }
  return parts.join("&");
}

// ---------------------------------------------------------------------------------------
// The module and its arguments, as Python sees them

function channelsOf(op, input) {
  const spatial = OPS[op].spatial;
  return input.length > spatial ? input[input.length - spatial - 1] : 1;
}

// The keyword arguments actually passed, in the canonical order: explicit keys only,
// defaults dropped the way formatHash drops them.
function passedArguments(state) {
  const keys = [];
  for (const key of KEY_ORDER) {
    if (key === "out_channels" || key === "pad" || key === "flip") continue;
    if (!(key in state) || state[key] === undefined) continue;
    if (isDefault(state.op, key, state[key], state)) continue;
    keys.push(key);
  }
  return keys;
}

// `_single`/`_pair`: a number repeated, a tuple kept, a string split into characters
// (what `_pair('same')` does to a transposed convolution's padding).
const expand = (v, n) =>
  Array.isArray(v) ? v.slice() : typeof v === "string" ? [...v] : Array(n).fill(v);

function settingError(message) {
  throw new TorchError("SettingError", message);
}

// Values outside the vocabulary: reported before anything runs.
function checkVocabulary(state) {
  if (!OPS[state.op])
    settingError(state.op === undefined ? "op is missing" : `unknown operation '${state.op}'`);
  if (!Array.isArray(state.input) || state.input.length === 0) settingError("input is missing");
  const { spatial } = OPS[state.op];
  if (state.pad !== undefined) {
    const lengths = spatial === 1 ? [2] : [2, 4];
    if (!lengths.includes(state.pad.length)) {
      settingError(
        `pad has ${state.pad.length} values; ${spatial === 1 ? "l,r" : "l,r or l,r,t,b"} expected`,
      );
    }
    if (state.pad.some((v) => v < 0)) settingError("pad values must be 0 or more");
  }
}

/** The Python line that builds the module, e.g. `nn.Conv2d(3, 8, kernel_size=(3, 5))`. */
function torchLine(state) {
  const info = OPS[state.op];
  const args = [];
  if (info.kind === "conv" || info.kind === "transposed") {
    const c = channelsOf(state.op, state.input);
    args.push(String(c), String(state.out_channels ?? c));
  }
  const keys = passedArguments(state);
  const ordered = [
    ...info.args.filter((k) => keys.includes(k)),
    ...keys.filter((k) => !info.args.includes(k)),
  ];
  for (const key of ordered) args.push(`${key}=${pyValue(state[key])}`);
  return `nn.${info.cls}(${args.join(", ")})`;
}

function fpadLine(state, mode) {
  if (state.pad === undefined) return null;
  return `F.pad(x, ${pyTuple(state.pad)}${mode === "constant" ? "" : `, mode='${mode}'`})`;
}

// ---------------------------------------------------------------------------------------
// The simulation: construct, create x, F.pad, forward

// Construct the module the way Python would: argument binding, then __init__'s checks.
function construct(state) {
  const info = OPS[state.op];
  const spatial = info.spatial;
  // Python binds keyword arguments in the order given (out_channels comes first) and
  // names the first one the class does not take.
  if (info.kind !== "conv" && info.kind !== "transposed" && state.out_channels !== undefined) {
    fail("TypeError", `${info.init}.__init__() got an unexpected keyword argument 'out_channels'`);
  }
  for (const key of passedArguments(state)) {
    check(
      info.args.includes(key),
      `${info.init}.__init__() got an unexpected keyword argument '${key}'`,
      "TypeError",
    );
  }
  check(
    state.kernel_size !== undefined,
    `${info.init}.__init__() missing 1 required positional argument: 'kernel_size'`,
    "TypeError",
  );
  const get = (key) => (state[key] === undefined ? defaultOf(state.op, key, state) : state[key]);
  const m = {
    info,
    spatial,
    kernel: expand(state.kernel_size, spatial),
    padding: get("padding"),
    dilation: expand(get("dilation") ?? 1, spatial),
    ceil: get("ceil_mode") ?? false,
    countIncludePad: get("count_include_pad") ?? true,
  };
  if (info.kind === "max" || info.kind === "avg") {
    // Pooling modules store their arguments unchecked; stride None means kernel_size.
    m.stride = expand(state.stride === undefined ? state.kernel_size : state.stride, spatial);
    return m;
  }
  m.stride = expand(get("stride"), spatial);
  m.inChannels = channelsOf(state.op, state.input);
  m.outChannels = state.out_channels ?? m.inChannels;
  m.groups = get("groups");
  m.bias = get("bias");
  m.paddingMode = get("padding_mode");
  m.outputPadding = expand(get("output_padding") ?? 0, spatial);
  const transposed = info.kind === "transposed";
  if (transposed) {
    check(
      m.paddingMode === "zeros",
      `Only "zeros" padding mode is supported for ${info.cls}`,
      "ValueError",
    );
  }
  check(m.groups > 0, "groups must be a positive integer", "ValueError");
  check(
    pyMod(m.inChannels, m.groups) === 0,
    "in_channels must be divisible by groups",
    "ValueError",
  );
  check(
    pyMod(m.outChannels, m.groups) === 0,
    "out_channels must be divisible by groups",
    "ValueError",
  );
  if (!transposed && typeof m.padding === "string") {
    check(
      m.padding === "same" || m.padding === "valid",
      `Invalid padding string '${m.padding}', should be one of {'same', 'valid'}`,
      "ValueError",
    );
    check(
      !(m.padding === "same" && m.stride.some((s) => s !== 1)),
      "padding='same' is not supported for strided convolutions",
      "ValueError",
    );
  }
  check(
    PADDING_MODES.includes(m.paddingMode),
    `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${m.paddingMode}'`,
    "ValueError",
  );
  m.paddingList = typeof m.padding === "string" && !transposed ? null : expand(m.padding, spatial);
  m.weight = transposed
    ? [m.inChannels, floorDiv(m.outChannels, m.groups), ...m.kernel]
    : [m.outChannels, floorDiv(m.inChannels, m.groups), ...m.kernel];
  const negative = m.weight.find((v) => v < 0);
  check(
    negative === undefined,
    `Trying to create tensor with negative dimension ${negative}: ${sizes(m.weight)}`,
  );
  // `_reversed_padding_repeated_twice`: what F.pad gets for a non-zeros padding_mode.
  // One pair per kernel axis; `same` zips dilation with the kernel, stopping at the shorter.
  if (m.padding === "same" || m.padding === "valid") {
    const n = m.kernel.length;
    m.reversedPadding = Array(2 * n).fill(0);
    const zipped = m.padding === "same" ? Math.min(n, m.dilation.length) : 0;
    for (let i = 0; i < zipped; i++) {
      const total = m.dilation[i] * (m.kernel[i] - 1);
      const left = floorDiv(total, 2);
      m.reversedPadding.splice(2 * (n - 1 - i), 2, left, total - left);
    }
  } else if (!transposed) {
    m.reversedPadding = m.paddingList
      .slice()
      .reverse()
      .flatMap((p) => [p, p]);
  }
  return m;
}

// ----- F.pad ---------------------------------------------------------------------------

const NOT_SUPPORTED_PAD = (padLength, dim) =>
  `Padding size ${padLength} is not supported for ${dim}D input tensor.\n` +
  "Supported combinations for non-constant padding:\n" +
  "  - 2D or 3D input: padding size = 2 (pads last dimension)\n" +
  "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n" +
  "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)";

/** The shape `F.pad(torch.zeros(shape), pad, mode)` returns, or the error it raises. */
function padShape(shape, pad, mode) {
  const dim = shape.length;
  const count = pad.length / 2;
  check(pad.length % 2 === 0, "Padding length must be divisible by 2");
  check(
    count <= dim,
    `Padding length should be less than or equal to two times the input dimension but got padding length ${pad.length} and input of dimension ${dim}`,
  );
  if (mode === "constant") return constantPadShape(shape, pad);
  const supported =
    (count === 1 && (dim === 2 || dim === 3)) ||
    (count === 2 && (dim === 3 || dim === 4)) ||
    (count === 3 && (dim === 4 || dim === 5));
  check(supported, NOT_SUPPORTED_PAD(pad.length, dim), "NotImplementedError");
  if (mode === "circular") return circularPadShape(shape, pad);
  return mode === "reflect" ? reflectPadShape(shape, pad) : replicatePadShape(shape, pad);
}

// constant_pad_nd: negative pads narrow the tensor, left side first.
function constantPadShape(shape, pad) {
  const out = shape.slice();
  for (let i = 0; i < pad.length / 2; i++) {
    const axis = shape.length - 1 - i;
    let size = out[axis];
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    if (l < 0) {
      size += l;
      check(size >= 0, "narrow(): length must be non-negative.");
    }
    if (r < 0) {
      size += r;
      check(size >= 0, "narrow(): length must be non-negative.");
    }
    out[axis] = size + Math.max(l, 0) + Math.max(r, 0);
  }
  return out;
}

// Reflection and replication pads need every non-batch dimension non-empty.
function checkNonEmptyForPad(shape, spatial) {
  const batchable = shape.length === spatial + 2;
  const ok = shape.every((v, i) => v !== 0 || (batchable && i === 0));
  check(
    ok,
    `Expected ${spatial + 1}D or ${spatial + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${sizes(shape)}`,
  );
}

function reflectPadShape(shape, pad) {
  const spatial = pad.length / 2;
  checkNonEmptyForPad(shape, spatial);
  const dim = shape.length;
  for (let i = 0; i < spatial; i++) {
    const axis = dim - 1 - i;
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    check(
      l < shape[axis] && r < shape[axis],
      `Argument #${4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${axis} of input ${sizes(shape)}`,
    );
  }
  return checkPaddedSize(shape, pad, "", "numel: integer multiplication overflow");
}

function replicatePadShape(shape, pad) {
  checkNonEmptyForPad(shape, pad.length / 2);
  return checkPaddedSize(shape, pad, " ");
}

// The padded shape, after the size checks reflection and replication pads share: the
// 2-D ones put a space before the parenthesis differently, and reflection's reports a
// negative size as an overflow.
function checkPaddedSize(shape, pad, gap, overflow) {
  const count = pad.length / 2;
  const out = paddedSizes(shape, pad);
  const [d, h, w] = [-3, -2, -1].map((i) => shape.at(i));
  const [od, oh, ow] = [-3, -2, -1].map((i) => out.at(i));
  if (count === 1) {
    check(ow >= 1, `input (W: ${w}) is too small. Calculated output W: ${ow}`);
    return out;
  }
  check(
    count === 2 ? oh >= 1 || ow >= 1 : od >= 1 || oh >= 1 || ow >= 1,
    count === 2
      ? `input (H: ${h}, W: ${w}${gap}) is too small. Calculated output H: ${oh} W: ${ow}`
      : `input (D: ${d} H: ${h}, W: ${w}) is too small. Calculated output D: ${od} H: ${oh} W: ${ow}`,
  );
  const negative = out.find((v) => v < 0);
  check(
    negative === undefined,
    (count === 2 && overflow) ||
      `Trying to create tensor with negative dimension ${negative}: ${sizes(out)}`,
  );
  return out;
}

function circularPadShape(shape, pad) {
  const spatial = pad.length / 2;
  const dim = shape.length;
  const out = shape.slice();
  for (let j = 0; j < spatial; j++) {
    const axis = dim - spatial + j; // first spatial axis first
    const i = dim - 1 - axis;
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    check(
      l <= shape[axis] && r <= shape[axis],
      "Padding value causes wrapping around more than once.",
    );
    out[axis] = shape[axis] + l + r;
    check(out[axis] >= 0, "Negative padding value is resulting in an empty dimension");
  }
  return out;
}

function paddedSizes(shape, pad) {
  const out = shape.slice();
  for (let i = 0; i < pad.length / 2; i++) out[shape.length - 1 - i] += pad[2 * i] + pad[2 * i + 1];
  return out;
}

// ----- forward passes ------------------------------------------------------------------

const ONEDNN_PRIMITIVE = (what) =>
  `could not create a primitive descriptor for the ${what} forward propagation primitive. ` +
  "Run workload with environment variable ONEDNN_VERBOSE=all to get additional diagnostic information.";

// batchify() in Convolution.cpp: unbatched input gains a batch of 1.
function batchify(shape, spatial, name) {
  const ok = shape.length === spatial + 1 || shape.length === spatial + 2;
  check(
    ok,
    `Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${name}, but got input of size: ${sizes(shape)}`,
  );
  return shape.length === spatial + 2
    ? { shape, batched: true }
    : { shape: [1, ...shape], batched: false };
}

function convForward(m, shape, state) {
  const { info, spatial } = m;
  const transposed = info.kind === "transposed";
  const name = state.op;
  let x = shape;
  let padding;
  if (transposed) {
    if (m.paddingList.some((p) => typeof p === "string")) {
      fail(
        "TypeError",
        `${name}(): argument 'padding' (position 5) must be tuple of ints, but found element of type str at pos 0`,
      );
    }
    padding = m.paddingList;
  } else if (m.paddingMode !== "zeros") {
    x = padShape(x, m.reversedPadding, m.paddingMode);
    padding = Array(spatial).fill(0);
  } else if (m.padding === "valid") {
    padding = [0];
  } else if (m.padding !== "same") {
    padding = m.paddingList;
  }
  const batch = batchify(x, spatial, name);
  x = batch.shape;
  if (m.padding === "same" && m.paddingMode === "zeros") {
    // convolution_same: its own checks; symmetric padding if it can, else an extra column
    // on the right.
    const dim = m.weight.length - 2;
    check(x.length === dim + 2, dimensionMessage(m.weight, x, ""));
    for (const [key, v] of [
      ["stride", m.stride],
      ["dilation", m.dilation],
    ])
      check(v.length === dim || v.length === 1, `${key} cannot broadcast to ${dim} dimensions`);
    const pads = m.kernel.map((k, i) => {
      const total = m.dilation[i] * (k - 1);
      const left = truncDiv(total, 2);
      return [left, total - left];
    });
    padding = pads.map(([l]) => l);
    if (pads.some(([l, r]) => l !== r)) {
      const extra = [];
      for (let i = spatial - 1; i >= 0; i--) extra.push(0, pads[i][1] - pads[i][0]);
      x = constantPadShape(x, extra);
    }
  }
  const out = convolution(m, x, padding, transposed);
  return batch.batched ? out : out.slice(1);
}

const dimensionMessage = (weight, x, gap) =>
  `Expected ${weight.length}-dimensional input for ${weight.length}-dimensional weight${gap}${sizes(weight)}, but got ${x.length}-dimensional input of size ${sizes(x)} instead`;

// at::_convolution: each argument one value or one per kernel axis (a kernel tuple of the
// wrong length makes a weight of the wrong rank), check_shape_forward, then the
// backend's own checks and shape.
function convolution(m, x, padding, transposed) {
  const { spatial, groups, weight } = m;
  const dim = weight.length - 2;
  const param = (xs, key) => {
    if (xs.length === 1) return Array(dim).fill(xs[0]);
    check(
      xs.length === dim,
      `expected ${key} to be a single integer value or a list of ${dim} values to match the convolution dimensions, but got ${key}=${sizes(xs)}`,
    );
    return xs;
  };
  const stride = param(m.stride, "stride");
  padding = param(padding, "padding");
  const dilation = param(m.dilation, "dilation");
  const outputPadding = param(
    transposed ? m.outputPadding : Array(spatial).fill(0),
    "output_padding",
  );
  check(!padding.some((p) => p < 0), "negative padding is not supported");
  check(!outputPadding.some((p) => p < 0), "negative output_padding is not supported");
  check(!stride.some((s) => s <= 0), "non-positive stride is not supported");
  check(!dilation.some((d) => d < 0), "dilation should be greater than zero");
  check(weight.length === x.length, dimensionMessage(weight, x, " "));
  check(
    weight[0] >= groups,
    `Given groups=${groups}, expected weight to be at least ${groups} at dimension 0, but got weight of size ${sizes(weight)} instead`,
  );
  check(
    weight[0] % groups === 0,
    `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${sizes(weight)}] instead`,
  );
  if (!transposed) {
    // Reached when padding_mode's F.pad pads the channels (a padding tuple too long).
    check(
      x[1] === weight[1] * groups,
      `Given groups=${groups}, weight of size ${sizes(weight)}, expected input${sizes(x)} to have ${weight[1] * groups} channels, but got ${x[1]} channels instead`,
    );
    const padded = x.slice(2).map((n, i) => n + 2 * padding[i]);
    const span = m.kernel.map((k, i) => dilation[i] * (k - 1) + 1);
    if (padded.some((n, i) => n < span[i])) {
      fail(
        "RuntimeError",
        `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${span.join(" x ")}). Kernel size can't be greater than actual input size`,
      );
    }
  }
  // 1-D convolutions run as 2-D ones over a height of 1.
  const lift = (xs, v) => (spatial === 1 ? [v, ...xs] : xs);
  const x4 = spatial === 1 ? [x[0], x[1], 1, x[2]] : x;
  const w4 = spatial === 1 ? [weight[0], weight[1], 1, weight[2]] : weight;
  const p = {
    stride: lift(stride, 1),
    padding: lift(padding, 0),
    dilation: lift(dilation, 1),
    outputPadding: lift(outputPadding, 0),
  };
  const k4 = w4.slice(2);
  const sizes4 = transposed
    ? [
        x4[0],
        w4[1] * groups,
        ...[0, 1].map(
          (i) =>
            (x4[2 + i] - 1) * p.stride[i] -
            2 * p.padding[i] +
            p.dilation[i] * (k4[i] - 1) +
            p.outputPadding[i] +
            1,
        ),
      ]
    : [
        x4[0],
        w4[0],
        ...[0, 1].map(
          (i) =>
            truncDiv(
              x4[2 + i] + 2 * p.padding[i] - (p.dilation[i] * (k4[i] - 1) + 1),
              p.stride[i],
            ) + 1,
        ),
      ];
  const squeeze = (s) => (spatial === 1 ? [s[0], s[1], s[3]] : s);
  const weightCount = product(w4);
  // Backend selection (_select_conv_backend), for a CPU float tensor whose weight needs grad.
  if (x4[0] === 0 || x4[1] === 0) {
    // Empty: the output is a view of input * weight of the right shape.
    if (x4[1] !== 0) {
      check(
        weightCount > 0,
        "select(): index 0 out of range for tensor of size [0] at dimension 0",
        "IndexError",
      );
    }
    if (x4[1] === 0) sizes4[1] = 0;
    return squeeze(viewShape(sizes4));
  }
  check(
    product(x4) !== 0,
    `Only zero batch or zero channel inputs are supported, but got input shape: ${sizes(x4)}`,
  );
  const opBig = p.outputPadding.some((a, i) => a >= p.stride[i]);
  const mkldnn =
    !(transposed && opBig) &&
    (groups > 1 || (k4[0] > 3 && k4[1] > 3) || x4[0] > 1 || product(x4) > 20480);
  const zeroKernel = k4.some((k) => k === 0);
  const zeroDilation = p.dilation.some((d) => d === 0);
  if (mkldnn && transposed) {
    check(
      !sizes4.slice(2).some((v) => v < 0),
      "could not construct a memory descriptor using a format tag",
    );
    // oneDNN takes dilation − 1. A dilation of 0 fails where the kernel has a span, and on
    // a 1-wide kernel axis too once another axis has stride ≤ (dilation − 1)·(kernel − 1).
    const badDilation =
      zeroDilation &&
      p.dilation.some((d, i) => (d === 0 && k4[i] !== 1) || p.stride[i] <= (d - 1) * (k4[i] - 1));
    check(!(zeroKernel || badDilation || weightCount === 0), ONEDNN_PRIMITIVE("deconvolution"));
    return squeeze(sizes4);
  }
  if (mkldnn) {
    check(!zeroDilation, "non-positive dilation is not supported");
    check(!zeroKernel, ONEDNN_PRIMITIVE("convolution"));
    return squeeze(sizes4);
  }
  if (transposed) {
    // slow_conv_transpose2d_shape_check
    check(
      !k4.some((k) => k <= 0),
      `kernel size should be greater than zero, but got kernel_height: ${k4[0]} kernel_width: ${k4[1]}`,
    );
    check(
      !p.dilation.some((d) => d <= 0),
      `dilation should be greater than zero, but got dilation_height: ${p.dilation[0]}, dilation_width: ${p.dilation[1]}`,
    );
    const opOk = [0, 1].every(
      (i) => p.outputPadding[i] < p.stride[i] || p.outputPadding[i] < p.dilation[i],
    );
    check(
      opOk,
      `output padding must be smaller than either stride or dilation, but got output_padding_height: ${p.outputPadding[0]} output_padding_width: ${p.outputPadding[1]} stride_height: ${p.stride[0]} stride_width: ${p.stride[1]} dilation_height: ${p.dilation[0]} dilation_width: ${p.dilation[1]}`,
    );
    // With groups, each group runs on its own slice of the weight.
    const slice = [w4[0] / groups, ...w4.slice(1)];
    check(weightCount > 0, `non-empty 2D or 4D weight tensor expected, but got: ${sizes(slice)}`);
    const [oh, ow] = sizes4.slice(2);
    check(
      oh >= 1 && ow >= 1,
      `Given input size per channel: (${x4[2]} x ${x4[3]}). Calculated output size per channel: (${oh} x ${ow}). Output size is too small`,
    );
    return squeeze(sizes4);
  }
  if (p.dilation.some((d) => d !== 1)) {
    check(!k4.some((k) => k <= 0), `kernel size should be greater than zero, but got ${sizes(k4)}`);
    check(
      !p.dilation.some((d) => d <= 0),
      `dilation should be greater than zero, but got ${sizes(p.dilation)}`,
    );
    return squeeze(sizes4);
  }
  check(
    !k4.some((k) => k <= 0),
    `kernel size should be greater than zero, but got kernel_height: ${k4[0]} kernel_width: ${k4[1]}`,
  );
  return squeeze(sizes4);
}

// Tensor.view on a tensor with no elements: infer_size's checks.
function viewShape(shape) {
  let inferred = -1;
  shape.forEach((v, i) => {
    if (v === -1) {
      check(inferred < 0, "only one dimension can be inferred");
      inferred = i;
    } else {
      check(v >= 0, `invalid shape dimension ${v} at index ${i} of shape ${sizes(shape)}`);
    }
  });
  check(
    inferred < 0,
    `cannot reshape tensor of 0 elements into shape ${sizes(shape)} because the unspecified dimension size -1 can be any value and is ambiguous`,
  );
  return shape;
}

// pooling_output_shape in Pool.h, with its checks.
function poolingOutput(n, k, p, s, d, ceil) {
  check(s !== 0, "stride should not be zero");
  check(p >= 0, `pad must be non-negative, but got pad: ${p}`);
  check(
    p <= truncDiv((k - 1) * d + 1, 2),
    `pad should be at most half of effective kernel size, but got pad=${p}, kernel_size=${k} and dilation=${d}`,
  );
  return poolingOutputUnchecked(n, k, p, s, d, ceil);
}

function poolingOutputUnchecked(n, k, p, s, d, ceil) {
  let out = floorDiv(n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
  if (ceil && (out - 1) * s >= n + p) out -= 1;
  return out;
}

// A pooling argument's name, and the field of `construct`'s module that holds it.
const poolField = (key) => (key === "kernel_size" ? "kernel" : key);

function maxPool1d(m, x) {
  const ok =
    (x.length === 2 && x[0] !== 0 && x[1] !== 0) || (x.length === 3 && x[1] !== 0 && x[2] !== 0);
  check(
    ok,
    `max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${sizes(x)}`,
  );
  for (const [key, what] of [
    ["kernel_size", "an int, list of ints or"],
    ["stride", "None, an int, list of ints, or"],
    ["padding", "an int, list of ints, or"],
    ["dilation", "an int, list of ints or"],
  ]) {
    const n = m[poolField(key)].length;
    check(n === 1, `max_pool1d() ${key} must be ${what} tuple of ints of size 1 but got size ${n}`);
  }
  const [k, s, p, d] = [m.kernel[0], m.stride[0], m.padding[0], m.dilation[0]];
  check(k > 0, `max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  check(s > 0, `max_pool1d() stride must be greater than zero, but got ${s}`);
  check(p >= 0, `max_pool1d() padding must be non-negative, but got ${p}`);
  check(
    p <= truncDiv(k, 2),
    `max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`,
  );
  check(d > 0, `max_pool1d() dilation must be greater than zero, but got ${d}`);
  const out = poolingOutput(x[x.length - 1], k, p, s, d, m.ceil);
  check(out > 0, `max_pool1d() Invalid computed output size: ${out}`);
  return [...x.slice(0, -1), out];
}

// max_pool2d_with_indices / avg_pool2d: one or two values per argument, output sizes,
// then pool2d_shape_check.
function pool2d(m, x, name) {
  const [[kH, kW], [dH, dW], [pH, pW], [dilH, dilW] = [1, 1]] = [
    ["kernel_size", "either be"],
    ["stride", "either be omitted,"],
    ["padding", "either be"],
    ...(name === "max_pool2d" ? [["dilation", "be either"]] : []),
  ].map(([key, what]) => {
    const v = m[poolField(key)];
    check(v.length < 3, `${name}: ${key} must ${what} a single int, or a tuple of two ints`);
    return v.length === 1 ? [v[0], v[0]] : v;
  });
  const dim = x.length;
  if (name === "max_pool2d") {
    check(dim === 3 || dim === 4, "non-empty 3D or 4D (batch mode) tensor expected for input");
  } else {
    for (const index of [-4, -3, -2, -1]) {
      if (index === -4 && dim !== 4) continue;
      check(
        -index <= dim,
        `Dimension out of range (expected to be in range of [${-dim}, ${dim - 1}], but got ${index})`,
        "IndexError",
      );
    }
  }
  const [planes, inH, inW] = x.slice(-3);
  const outH = poolingOutput(inH, kH, pH, dH, dilH, m.ceil);
  const outW = poolingOutput(inW, kW, pW, dW, dilW, m.ceil);
  check(kW > 0 && kH > 0, `kernel size should be greater than zero, but got kH: ${kH} kW: ${kW}`);
  check(dW > 0 && dH > 0, `stride should be greater than zero, but got dH: ${dH} dW: ${dW}`);
  check(
    dilH > 0 && dilW > 0,
    `dilation should be greater than zero, but got dilationH: ${dilH} dilationW: ${dilW}`,
  );
  const validDims = x[dim - 3] !== 0 && x[dim - 2] !== 0 && x[dim - 1] !== 0;
  check(
    (dim === 3 || dim === 4) && validDims,
    `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${sizes(x)}`,
  );
  check(
    truncDiv(kW, 2) >= pW && truncDiv(kH, 2) >= pH,
    `pad should be smaller than or equal to half of kernel size, but got padW = ${pW}, padH = ${pH}, kW = ${kW}, kH = ${kH}`,
  );
  check(
    outW >= 1 && outH >= 1,
    `Given input size: (${planes}x${inH}x${inW}). Calculated output size: (${planes}x${outH}x${outW}). Output size is too small`,
  );
  return [...x.slice(0, -2), outH, outW];
}

function poolForward(m, x, state) {
  const { info } = m;
  if (typeof m.padding === "string") {
    const detail = info.cls === "AvgPool1d" ? "but found element of type str at pos 0" : "not str";
    fail(
      "TypeError",
      `${state.op}(): argument 'padding' (position 4) must be tuple of ints, ${detail}`,
    );
  }
  const lifted = { ...m, padding: expand(m.padding, m.spatial) };
  if (state.op === "max_pool1d") return maxPool1d(lifted, x);
  if (state.op === "max_pool2d") return pool2d(lifted, x, "max_pool2d");
  if (state.op === "avg_pool2d") return pool2d({ ...lifted, dilation: [1, 1] }, x, "avg_pool2d");
  // avg_pool1d: a 2-D average pool over a height of 1.
  check(
    x.length === 2 || x.length === 3,
    `Expected 2 to 3 dimensions, but got ${x.length}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)`,
  );
  for (const key of ["kernel_size", "stride", "padding"]) {
    const n = lifted[poolField(key)].length;
    check(n === 1, `avg_pool1d() argument '${key}' should contain one int (got ${n})`);
  }
  const as2d = {
    ...lifted,
    kernel: [1, m.kernel[0]],
    stride: [1, m.stride[0]],
    padding: [0, lifted.padding[0]],
    dilation: [1, 1],
  };
  const out = pool2d(as2d, [...x.slice(0, -1), 1, x[x.length - 1]], "avg_pool2d");
  return [...out.slice(0, -2), out[out.length - 1]];
}

// Run the whole setting; returns the module, shapes and padding, or throws TorchError.
function simulate(state) {
  checkVocabulary(state);
  const m = construct(state);
  const negative = state.input.some((v) => v < 0);
  check(!negative, "zeros: Dimension size must be non-negative.");
  const fmode = m.paddingMode && m.paddingMode !== "zeros" ? m.paddingMode : "constant";
  const padded = state.pad === undefined ? state.input : padShape(state.input, state.pad, fmode);
  const conv = m.info.kind === "conv" || m.info.kind === "transposed";
  const output = conv ? convForward(m, padded, state) : poolForward(m, padded, state);
  return { m, padded, output, fmode };
}

// ---------------------------------------------------------------------------------------
// Per-axis details

const sub = (a, b) => (b < 0 ? `${a} + ${-b}` : `${a} − ${b}`);

// The padding actually around each spatial axis of the module's input: [before, after].
function moduleSides(m, state) {
  const spatial = m.spatial;
  if (m.info.kind === "conv" && m.padding === "same" && m.paddingMode === "zeros") {
    return m.kernel.map((k, i) => {
      const total = m.dilation[i] * (k - 1);
      const left = truncDiv(total, 2);
      return [left, total - left];
    });
  }
  // What F.pad gets, last axis first; a padding tuple one too long pads the channels by 0.
  const rp = m.reversedPadding;
  if (m.info.kind === "conv")
    return Array.from({ length: spatial }, (_, i) =>
      rp.slice(2 * (spatial - i) - 2, 2 * (spatial - i)),
    );
  return expand(m.padding, spatial).map((p) => [p, p]);
}

function fpadSides(state, spatial) {
  const pad = state.pad ?? [];
  return Array.from({ length: spatial }, (_, j) => {
    const i = spatial - 1 - j; // F.pad lists the last axis first
    return [pad[2 * i] ?? 0, pad[2 * i + 1] ?? 0];
  });
}

function axisDetails(sim, state) {
  const { m, padded, output } = sim;
  const spatial = m.spatial;
  const sides = moduleSides(m, state);
  const fsides = fpadSides(state, spatial);
  const kind = m.info.kind;
  return Array.from({ length: spatial }, (_, i) => {
    const original = state.input[state.input.length - spatial + i];
    const n = padded[padded.length - spatial + i];
    const out = output[output.length - spatial + i];
    const k = m.kernel[i];
    const s = m.stride[i];
    const d = kind === "avg" ? 1 : m.dilation[i];
    const [pl, pr] = sides[i];
    const axis = {
      axis: spatial === 1 ? "L" : ["H", "W"][i],
      input: original,
      fpad: fsides[i],
      n,
      kernel: k,
      stride: s,
      padding: [pl, pr],
      dilation: d,
      output: out,
      span: d * (k - 1) + 1,
    };
    if (kind === "transposed") {
      const a = m.outputPadding[i];
      axis.output_padding = a;
      axis.formula = `(${n} − 1)·${s} − 2·${pl} + ${d}·(${k} − 1) + ${a} + 1 = ${out}`;
    } else if (kind === "conv") {
      const padText = pl === pr ? `2·${pl}` : `${pl} + ${pr}`;
      axis.formula = `⌊(${n} + ${padText} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = ${out}`;
    } else {
      axis.formula = poolFormula(n, k, pl, s, d, m.ceil, out);
      if (m.ceil) axis.dropped = ceilDropped(n, k, pl, s, d);
    }
    axis.unread = unreadIndices(axisWindows(sim, state, i), original);
    return axis;
  });
}

function poolFormula(n, k, p, s, d, ceil, out) {
  const inner = `${n} + 2·${p} − ${d}·(${k} − 1) − 1`;
  if (!ceil) return `⌊(${inner}) / ${s}⌋ + 1 = ${out}`;
  const raw = Math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1;
  const text = `⌈(${inner}) / ${s}⌉ + 1 = ${raw}`;
  if (raw === out) return text;
  return `${text}; the last window would start at (${raw} − 1)·${s} = ${(raw - 1) * s} ≥ ${n} + ${p}, past the input, so it is dropped: ${out}`;
}

// ceil_mode's rule: a window that would start in the right padding is not made.
function ceilDropped(n, k, p, s, d) {
  const raw = floorDiv(n + 2 * p - d * (k - 1) - 1 + s - 1, s) + 1;
  return (raw - 1) * s >= n + p;
}

function unreadIndices(axisWin, n) {
  const read = new Set();
  if (axisWin.kind === "transposed") {
    // An input cell counts as read when some copy of the kernel it scales lands inside.
    for (const f of axisWin.footprints)
      if (f.source !== null && f.cells.some((c) => c.inside)) read.add(f.source);
  } else {
    for (const w of axisWin.outputs)
      for (const t of w.taps) if (t.source !== null) read.add(t.source);
  }
  const unread = [];
  for (let i = 0; i < n; i++) if (!read.has(i)) unread.push(i);
  return unread;
}

/**
 * Evaluate a setting. Returns `{ok: true, outputShape, paddedShape, weightShape,
 * biasShape, parameterCount, axes, torch, fpad, flip}` or `{ok: false, error, errorType,
 * torch}`. `axes` has one entry per spatial axis: the input size, F.pad's `[before,
 * after]`, `n` (the size the module gets), `kernel`, `stride`, `padding` `[before,
 * after]`, `dilation`, `output_padding` (transposed), `output`, `span` (d·(k − 1) + 1),
 * `formula` (the numbers substituted), `dropped` (ceil_mode dropped a last window that
 * would start in the padding), and `unread`: the input indices no window reads.
 */
export function evaluate(state) {
  let sim;
  try {
    sim = simulate(state);
  } catch (e) {
    if (!(e instanceof TorchError)) throw e;
    let line = null;
    try {
      line = OPS[state.op] && Array.isArray(state.input) ? torchLine(state) : null;
    } catch {
      line = null;
    }
    return { ok: false, error: e.message, errorType: e.type, torch: line };
  }
  const { m, padded, output, fmode } = sim;
  const conv = m.info.kind === "conv" || m.info.kind === "transposed";
  const biasShape = conv && m.bias ? [m.outChannels] : null;
  return {
    ok: true,
    outputShape: output,
    paddedShape: padded,
    weightShape: conv ? m.weight : null,
    biasShape,
    parameterCount: conv ? product(m.weight) + (biasShape ? biasShape[0] : 0) : 0,
    axes: axisDetails(sim, state),
    torch: torchLine(state),
    fpad: fpadLine(state, fmode),
    flip: Boolean(state.flip),
  };
}

// ---------------------------------------------------------------------------------------
// Windows: which input cell each tap reads

// For one axis, where each cell of the fully padded axis comes from: an original index,
// or zero. `fmode` is F.pad's mode, `mmode` the module's padding mode.
function axisSourceMap(n, fsides, msides, fmode, mmode) {
  const stage1 = padIndexMap(n, fsides[0], fsides[1], fmode);
  const stage2 = padIndexMap(stage1.length, msides[0], msides[1], mmode);
  return stage2.map((j) => (j === null ? null : stage1[j]));
}

// F.pad along one axis: for each output index, the input index it copies (null: zero).
function padIndexMap(n, left, right, mode) {
  const out = [];
  for (let q = -left; q < n + right; q++) {
    if (q >= 0 && q < n) out.push(q);
    else if (mode === "reflect") out.push(q < 0 ? -q : 2 * (n - 1) - q);
    else if (mode === "replicate") out.push(q < 0 ? 0 : n - 1);
    else if (mode === "circular") out.push(pyMod(q, n));
    else out.push(null);
  }
  return out;
}

function modeName(mode) {
  return mode === "zeros" || mode === "constant" ? "zeros" : mode;
}

/**
 * The windows along one spatial axis (0 = H or L, 1 = W). For a convolution or a pool:
 * `outputs[o].taps[t] = {tap, weight, padded, source, padding}` where `padded` is the
 * index in the fully padded axis (F.pad's `pad` and the module's padding), `source` the
 * index in the original input it reads (null for a zero; for reflect/replicate/circular
 * padding, the cell copied), and `padding` null, "pad" (F.pad) or "module". For a
 * transposed convolution: `outputs[o].taps` lists the (input, tap) pairs landing on
 * output o, and `footprints[i]` the output cells input i's kernel copy lands on.
 */
export function windows(state, axis = 0) {
  return guarded(() => ({ ok: true, ...axisWindows(simulate(state), state, axis) }));
}

// Run fn; a PyTorch error (or a setting error) becomes {ok: false, error, errorType}.
function guarded(fn) {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof TorchError)) throw e;
    return { ok: false, error: e.message, errorType: e.type };
  }
}

function axisWindows(sim, state, axis) {
  const { m, output } = sim;
  const spatial = m.spatial;
  const original = state.input[state.input.length - spatial + axis];
  const out = output[output.length - spatial + axis];
  const k = m.kernel[axis];
  const s = m.stride[axis];
  const d = m.info.kind === "avg" ? 1 : m.dilation[axis];
  const fs = fpadSides(state, spatial)[axis];
  const ms = moduleSides(m, state)[axis];
  const flip = Boolean(state.flip);
  const weightOf = (t) => (flip ? k - 1 - t : t);
  if (m.info.kind === "transposed") {
    const n = sim.padded[sim.padded.length - spatial + axis];
    return { axis, ...transposedWindows(n, fs[0], original, out, k, s, d, ms[0], weightOf) };
  }
  const fmode = sim.fmode;
  // Pooling pads with -inf (max) or zeros (avg); the module's padding is never copied.
  const mmode = m.info.kind === "conv" ? modeName(m.paddingMode) : "zeros";
  const map = axisSourceMap(original, fs, ms, fmode, mmode);
  const before = fs[0] + ms[0];
  const outputs = [];
  for (let o = 0; o < out; o++) {
    const taps = [];
    for (let t = 0; t < k; t++) {
      const q = o * s + t * d;
      if (q >= map.length) {
        taps.push({ tap: t, weight: weightOf(t), padded: q, source: null, padding: "outside" });
        continue;
      }
      const inOriginal = q - before;
      const padding =
        inOriginal >= 0 && inOriginal < original
          ? null
          : q < fs[0] || q >= map.length - fs[1]
            ? "pad"
            : "module";
      taps.push({ tap: t, weight: weightOf(t), padded: q, source: map[q], padding });
    }
    const w = { output: o, start: o * s - before, taps };
    if (m.info.kind === "avg")
      w.divisor = avgDivisor(o, s, k, ms[0], original + fs[0] + fs[1], m.countIncludePad);
    outputs.push(w);
  }
  return { axis, kind: m.info.kind, size: original, before, paddedSize: map.length, outputs };
}

// AvgPool's divisor along one axis: the window clipped to the padded extent, or to the
// real cells when count_include_pad is false.
function avgDivisor(o, s, k, p, n, countIncludePad) {
  const start = o * s - p;
  const end = Math.min(start + k, n + p);
  if (countIncludePad) return end - start;
  return Math.min(end, n) - Math.max(start, 0);
}

// Input cell i (of the F.pad-ed input, `source` its index in the original one, null for a
// cell F.pad added) lands its kernel copy at outputs i·s + t·d − p.
function transposedWindows(n, before, original, out, k, s, d, p, weightOf) {
  const footprints = [];
  const outputs = Array.from({ length: out }, (_, o) => ({ output: o, taps: [] }));
  for (let i = 0; i < n; i++) {
    const source = i - before >= 0 && i - before < original ? i - before : null;
    const cells = [];
    for (let t = 0; t < k; t++) {
      const o = i * s + t * d - p;
      const inside = o >= 0 && o < out;
      cells.push({ tap: t, weight: weightOf(t), output: o, inside });
      if (inside) outputs[o].taps.push({ input: i, source, tap: t, weight: weightOf(t) });
    }
    footprints.push({ input: i, source, cells });
  }
  return { kind: "transposed", size: original, paddedSize: n, outputs, footprints };
}

/**
 * The 2-D window of output cell [oy, ox] (or [o] in 1-D): the product of the axes'
 * windows, as a list of {tap: [ty, tx], weight, padded, source, padding}.
 */
export function window2d(state, position) {
  return guarded(() => {
    const sim = simulate(state);
    const perAxis = Array.from({ length: sim.m.spatial }, (_, a) => axisWindows(sim, state, a));
    return { ok: true, cells: windowCells(sim, perAxis, [].concat(position)) };
  });
}

function windowCells(sim, perAxis, position) {
  if (sim.m.info.kind === "transposed") {
    // `input` indexes the input the module gets (after F.pad), `source` the original one.
    let cells = [{ input: [], source: [], tap: [], weight: [] }];
    perAxis.forEach((ax, a) => {
      const taps = ax.outputs[position[a]].taps;
      cells = cells.flatMap((c) =>
        taps.map((t) => ({
          input: [...c.input, t.input],
          source: t.source === null || c.source === null ? null : [...c.source, t.source],
          tap: [...c.tap, t.tap],
          weight: [...c.weight, t.weight],
        })),
      );
    });
    return cells;
  }
  let cells = [{ tap: [], weight: [], padded: [], source: [], padding: null }];
  perAxis.forEach((ax, a) => {
    const w = ax.outputs[position[a]];
    cells = cells.flatMap((c) =>
      w.taps.map((t) => ({
        tap: [...c.tap, t.tap],
        weight: [...c.weight, t.weight],
        padded: [...c.padded, t.padded],
        source: t.source === null || c.source === null ? null : [...c.source, t.source],
        padding: c.padding ?? t.padding,
      })),
    );
  });
  return cells;
}

// ---------------------------------------------------------------------------------------
// Padding values

/**
 * `F.pad(values, pad, mode)` for a 1-D or 2-D array of numbers: `pad` in F.pad's order
 * (left, right[, top, bottom]), non-negative; mode `constant` (zeros), `reflect`,
 * `replicate` or `circular`. Returns the padded array, or `{error, errorType}` with
 * PyTorch's message for a pad the mode cannot make.
 */
export function padValues(values, pad, mode = "constant") {
  const twoD = Array.isArray(values[0]);
  const shape = twoD ? [values.length, values[0].length] : [values.length];
  const modeKey = mode === "zeros" ? "constant" : mode;
  try {
    // A 1-D or 2-D array is an unbatched (C, L) or (C, H, W) input of one channel.
    padShape([1, ...shape], pad, modeKey);
  } catch (e) {
    if (!(e instanceof TorchError)) throw e;
    return { error: e.message, errorType: e.type };
  }
  const cols = padIndexMap(shape[shape.length - 1], pad[0], pad[1], modeKey);
  if (!twoD) return cols.map((j) => (j === null ? 0 : values[j]));
  const rows = padIndexMap(shape[0], pad[2] ?? 0, pad[3] ?? 0, modeKey);
  return rows.map((i) => cols.map((j) => (i === null || j === null ? 0 : values[i][j])));
}

/**
 * What a convolution module pads its input with: the padded array for `padding=p` (or
 * `same`) and the module's padding_mode, as `_reversed_padding_repeated_twice` gives it.
 */
export function modulePadValues(values, state) {
  const shape = Array.isArray(values[0]) ? [values.length, values[0].length] : [values.length];
  return guarded(() => {
    const m = construct({ ...state, input: [1, ...shape] });
    const pad =
      m.reversedPadding?.slice(0, 2 * m.spatial) ??
      expand(m.padding, m.spatial)
        .slice()
        .reverse()
        .flatMap((p) => [p, p]);
    return padValues(values, pad, m.paddingMode === "zeros" ? "constant" : m.paddingMode);
  });
}

// ---------------------------------------------------------------------------------------
// Output padding, solving for sizes, chains of layers

/**
 * The `output_padding` that makes a transposed convolution's output `wanted` (one size
 * per spatial axis). Returns `{ok: true, output_padding, torch}` or `{ok: false,
 * reason, reachable}` listing, per axis, the sizes some output_padding reaches.
 */
export function outputPaddingFor(state, wanted) {
  const info = OPS[state.op];
  if (!info || info.kind !== "transposed")
    return {
      ok: false,
      reason: "output_padding belongs to transposed convolutions",
      reachable: [],
    };
  const spatial = info.spatial;
  const want = [].concat(wanted);
  const base = { ...state, output_padding: 0 };
  const first = evaluate(base);
  const stride = expand(state.stride ?? 1, spatial);
  const dilation = expand(state.dilation ?? 1, spatial);
  const reachable = [];
  const chosen = [];
  for (let a = 0; a < spatial; a++) {
    const sizesHere = [];
    const limit = Math.max(stride[a], dilation[a], 1);
    for (let op = 0; op < limit; op++) {
      const trial = Array(spatial).fill(0);
      trial[a] = op;
      const r = evaluate({ ...state, output_padding: spatial === 1 ? op : trial });
      if (r.ok)
        sizesHere.push({
          output_padding: op,
          size: r.outputShape[r.outputShape.length - spatial + a],
        });
    }
    reachable.push(sizesHere.map((x) => x.size));
    const hit = sizesHere.find((x) => x.size === want[a]);
    chosen.push(hit ? hit.output_padding : null);
  }
  if (chosen.some((c) => c === null)) {
    const a = chosen.findIndex((c) => c === null);
    const reason = reachable[a].length
      ? `size ${want[a]} is not reachable along axis ${a}: output_padding reaches ${reachable[a].join(", ")}`
      : `no output_padding works along axis ${a}: ${first.ok ? "" : first.error}`;
    return { ok: false, reason, reachable };
  }
  const final = { ...state, output_padding: spatial === 1 ? chosen[0] : chosen };
  const r = evaluate(final);
  if (!r.ok) return { ok: false, reason: r.error, reachable };
  return {
    ok: true,
    output_padding: spatial === 1 ? chosen[0] : chosen,
    torch: r.torch,
    outputShape: r.outputShape,
  };
}

/**
 * Every (kernel, stride, dilation, padding) of a direct convolution along one axis that
 * maps `inputSize` to `wantedOutput`. Padding runs from 0 to d·(k − 1): one more and the
 * first window would read padding only.
 */
export function solve(
  inputSize,
  wantedOutput,
  { maxKernel = 7, maxStride = 4, maxDilation = 3 } = {},
) {
  const found = [];
  for (let k = 1; k <= maxKernel; k++) {
    for (let s = 1; s <= maxStride; s++) {
      for (let d = 1; d <= maxDilation; d++) {
        if (k === 1 && d > 1) continue; // dilation changes nothing for a 1-tap kernel
        for (let p = 0; p <= d * (k - 1); p++) {
          const span = d * (k - 1) + 1;
          if (inputSize + 2 * p < span) continue;
          const out = floorDiv(inputSize + 2 * p - span, s) + 1;
          if (out !== wantedOutput) continue;
          const args = [`kernel_size=${k}`];
          if (s !== 1) args.push(`stride=${s}`);
          if (p !== 0) args.push(`padding=${p}`);
          if (d !== 1) args.push(`dilation=${d}`);
          found.push({
            kernel_size: k,
            stride: s,
            dilation: d,
            padding: p,
            torch: `nn.Conv1d(C, C, ${args.join(", ")})`,
          });
        }
      }
    }
  }
  return {
    inputSize,
    wantedOutput,
    paddingBound: "0 ≤ padding ≤ dilation·(kernel_size − 1)",
    solutions: found,
  };
}

/**
 * Shapes through a chain of layers. `layers` are settings without `input`; each layer's
 * input is the previous output. Returns `{shapes, failed}`: `shapes[0]` is the input,
 * `failed` null or `{index, error, errorType}` for the first layer that fails.
 */
export function stack(inputShape, layers) {
  const shapes = [inputShape.slice()];
  let current = inputShape.slice();
  for (let i = 0; i < layers.length; i++) {
    const r = evaluate({ ...layers[i], input: current });
    if (!r.ok)
      return {
        shapes,
        failed: { index: i, error: r.error, errorType: r.errorType, torch: r.torch },
      };
    current = r.outputShape;
    shapes.push(current);
  }
  return { shapes, failed: null };
}

/**
 * For each size n in [from, to], run `layers` (downsampling layers followed by as many
 * transposed layers, mirrored) on an input of `n` along every spatial axis. Returns, per
 * n, the size that comes back, whether it is n, and the output_padding each transposed
 * layer needs to give back the size its mirror received (null where none does).
 */
export function roundTrip(layers, { from = 1, to = 32, channels = 1, batch = 1 } = {}) {
  const spatial = OPS[layers[0].op].spatial;
  const ups = layers.filter((l) => OPS[l.op].kind === "transposed").length;
  const downs = layers.length - ups;
  const results = [];
  for (let n = from; n <= to; n++) {
    const input = [batch, channels, ...Array(spatial).fill(n)];
    const plain = stack(input, layers);
    const back = plain.failed ? null : plain.shapes[plain.shapes.length - 1].slice(-spatial);
    const needed = [];
    let current = plain.failed && plain.failed.index < downs ? null : plain.shapes[downs];
    for (let j = 0; j < ups && current; j++) {
      const target = plain.shapes[downs - 1 - j];
      const layer = layers[downs + j];
      const fix = outputPaddingFor({ ...layer, input: current }, target.slice(-spatial));
      needed.push(fix.ok ? fix.output_padding : null);
      current = fix.ok ? fix.outputShape : null;
    }
    results.push({
      n,
      size: back ? back[0] : null,
      error: plain.failed ? plain.failed.error : null,
      back: Boolean(back && back.every((v) => v === n)),
      outputPadding: current ? needed : null,
    });
  }
  return results;
}

// ---------------------------------------------------------------------------------------
// One output cell in words

/**
 * The formula of one output cell, e.g. `y[1,2] = w[0,0]·x[2,4] + … + w[2,2]·0 (padding)`.
 * `position` lists the spatial indices of the output cell. Built from `windows`.
 */
export function describeOutput(state, position) {
  return guarded(() => describe(state, position));
}

function describe(state, position) {
  const sim = simulate(state);
  const spatial = sim.m.spatial;
  const pos = [].concat(position);
  const perAxis = Array.from({ length: spatial }, (_, a) => axisWindows(sim, state, a));
  perAxis.forEach((ax, a) =>
    check(
      pos[a] >= 0 && pos[a] < ax.outputs.length,
      `position ${pos[a]} is outside the output (size ${ax.outputs.length})`,
      "SettingError",
    ),
  );
  const cells = windowCells(sim, perAxis, pos);
  const idx = (xs) => `[${xs.join(",")}]`;
  const lhs = `y${idx(pos)}`;
  const kind = sim.m.info.kind;
  if (kind === "transposed") {
    const terms = cells.map(
      (c) => `w${idx(c.weight)}·${c.source === null ? "0 (padding)" : `x${idx(c.source)}`}`,
    );
    const bias = sim.m.bias ? " + b" : "";
    return {
      ok: true,
      text: `${lhs} = ${terms.length ? terms.join(" + ") : "0"}${bias}`,
      terms: cells,
    };
  }
  const value = (c) => {
    if (c.padding === "outside") return null;
    if (c.source === null) return kind === "max" ? "−∞ (padding)" : "0 (padding)";
    const copied = c.padding
      ? ` (${c.padding === "pad" ? sim.fmode : modeName(sim.m.paddingMode)} padding)`
      : "";
    return `x${idx(c.source)}${copied}`;
  };
  const present = cells.filter((c) => c.padding !== "outside");
  if (kind === "max")
    return { ok: true, text: `${lhs} = max(${present.map(value).join(", ")})`, terms: present };
  if (kind === "avg") {
    const divisor = perAxis.reduce((acc, ax, a) => acc * ax.outputs[pos[a]].divisor, 1);
    return {
      ok: true,
      text: `${lhs} = (${present.map(value).join(" + ")}) / ${divisor}`,
      terms: present,
      divisor,
    };
  }
  const terms = cells.map((c) => `w${idx(c.weight)}·${value(c)}`);
  const bias = sim.m.bias ? " + b" : "";
  return { ok: true, text: `${lhs} = ${terms.join(" + ")}${bias}`, terms: cells };
}
