"""What every chapter's exercises share: kinds, PyTorch's errors, and text made from numbers.

An exercise function returns ``Facts``, a flat dict of the numbers and strings its
question and answer quote (``{{ ex-padding-shape.out_h }}``). Text that holds numbers is
made here from the same values the answer is computed from: the Python line of a layer
(``call``), a shape (``shape_text``), a grid (``grid_text``), the substituted size formula
(``conv_size_steps``) and the sum of products of one output (``products_steps``). A
worked step is a chain ``expression = expression = result`` in the notation of the pages
(``·`` times, ``−`` minus, ``⌊ ⌋`` and ``⌈ ⌉`` rounding), which a test evaluates.

``explorer_hash`` writes a layer's setting in the explorer's URL form, so an answer can
open the explorer on the exercise's own layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

__all__ = [
    "KINDS",
    "Facts",
    "Kind",
    "Source",
    "call",
    "conv_size_steps",
    "exercise",
    "explorer_hash",
    "grid_text",
    "kind_of",
    "number",
    "pool_size_steps",
    "products_steps",
    "raised",
    "shape_text",
    "shapes_run",
    "side_by_side",
    "stacked",
    "sum_steps",
    "tensor_source",
    "transposed_size_steps",
]

Facts = dict[str, int | float | str]
#: What an exercise asks for: an output shape; a value worked out by hand on a small
#: grid; whether PyTorch raises, and its message; the arguments that reach a size; an
#: idea explained (with numbers that show it).
Kind = Literal["shape", "value", "error", "design", "concept"]
KINDS: tuple[Kind, ...] = ("shape", "value", "error", "design", "concept")

Function = TypeVar("Function", bound=Callable[..., Facts])


def exercise(kind: Kind) -> Callable[[Function], Function]:
    """Mark an exercise function with its kind (read back by ``kind_of``)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")

    def mark(function: Function) -> Function:
        setattr(function, "exercise_kind", kind)  # noqa: B010 (a function has no such slot)
        return function

    return mark


def kind_of(function: Callable[..., Facts]) -> Kind:
    """The kind an exercise function was marked with; ``ValueError`` if it was not."""
    kind = getattr(function, "exercise_kind", None)
    if kind not in KINDS:
        raise ValueError(f"{getattr(function, '__name__', function)!r} is not an exercise")
    return kind  # type: ignore[no-any-return]


def raised(action: Callable[[], object]) -> tuple[str, str]:
    """The exception ``action`` raises, as ``(type name, message)``: PyTorch's own words.

    Raises ``ValueError`` if ``action`` raises nothing: the exercise's premise is wrong.
    """
    try:
        action()
    except Exception as error:  # whatever PyTorch raises is the answer
        return type(error).__name__, str(error)
    raise ValueError("the exercise expects PyTorch to raise, but the call succeeded")


def number(value: float) -> str:
    """A number as the pages write it: no decimal point for a whole number, a true minus
    sign, up to four significant digits otherwise."""
    value = 0.0 if value == 0 else float(value)
    text = f"{value:.0f}" if value.is_integer() else f"{value:.4g}"
    return text.replace("-", "−")


def _signed(value: float) -> str:
    """A factor in a product: a negative one in parentheses, ``(−1)``."""
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def shape_text(shape: Sequence[int]) -> str:
    """``(1, 8, 14, 14)``: a shape as Python prints a tuple."""
    sizes = [str(int(size)) for size in shape]
    return f"({sizes[0]},)" if len(sizes) == 1 else f"({', '.join(sizes)})"


def shapes_run(source: str, input_shape: Sequence[int], output: object, weight: object) -> Facts:
    """The ``code`` that builds the layer ``source``, runs it on zeros of ``input_shape``
    and prints its output's shape and its weight's, and the ``result`` it prints:
    ``output`` and ``weight`` are the shapes PyTorch gave (``torch.Size``)."""
    lines = [
        "import torch",
        "from torch import nn",
        f"layer = {source}",
        f"print(layer(torch.zeros{shape_text(input_shape)}).shape)",
        "print(layer.weight.shape)",
    ]
    return {"code": "\n".join(lines), "result": f"{output}\n{weight}"}


class Source(str):
    """Python source given to ``call`` as it is: ``call("F.pad", Source("x"), (1, 2))``
    gives ``F.pad(x, (1, 2))``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def call(name: str, *args: object, **kwargs: object) -> str:
    """The Python source of a call: ``call("nn.Conv2d", 3, 8, 3, stride=2)`` gives
    ``nn.Conv2d(3, 8, 3, stride=2)``. Values are written as Python writes them."""
    parts = [repr(arg) for arg in args] + [f"{key}={value!r}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def grid_text(rows: Sequence[Sequence[float]]) -> str:
    """A small grid, one row a line, numbers right-aligned in columns (for a text block)."""
    cells = [[number(value) for value in row] for row in rows]
    width = max(len(cell) for row in cells for cell in row)
    return "\n".join("  ".join(cell.rjust(width) for cell in row) for row in cells)


def side_by_side(*grids: tuple[str, Sequence[Sequence[float]]]) -> str:
    """Small grids next to each other, each under its name, for a text block."""
    columns = [[name, *grid_text(rows).split("\n")] for name, rows in grids]
    widths = [max(len(line) for line in column) for column in columns]
    height = max(len(column) for column in columns)
    lines = []
    for index in range(height):
        cells = [
            (column[index] if index < len(column) else "").ljust(width)
            for column, width in zip(columns, widths, strict=True)
        ]
        lines.append("    ".join(cells).rstrip())
    return "\n".join(lines)


def tensor_source(name: str, rows: Sequence[Sequence[float]], shape: Sequence[int]) -> str:
    """Python that makes a tensor of the grid ``rows``, viewed as ``shape``: the code an
    answer shows to check itself."""
    lines = ["[" + ", ".join(f"{float(value)!r}" for value in row) + "]" for row in rows]
    indent = " " * len(f"{name} = torch.tensor([")
    body = (",\n" + indent).join(lines)
    view = ", ".join(str(size) for size in shape)
    return f"{name} = torch.tensor([{body}]).view({view})"


def products_steps(
    pairs: Sequence[tuple[float, float]], bias: float | None = None, result: float | None = None
) -> str:
    """One output worked out: ``w·x + w·x + … (+ b) = result`` over the (weight, input)
    pairs, skipping none (a zero product is part of the sum a student writes)."""
    terms = [f"{_signed(weight)}·{_signed(value)}" for weight, value in pairs]
    if bias is not None:
        terms.append(_signed(bias))
    total = sum(weight * value for weight, value in pairs) + (bias or 0.0)
    shown = total if result is None else result
    return " + ".join(terms) + f" = {number(shown)}"


def sum_steps(values: Sequence[float]) -> str:
    """A sum written out: ``3 + 1 + 0 + (−2) = 2``."""
    return " + ".join(_signed(value) for value in values) + f" = {number(sum(values))}"


def stacked(chain: str) -> str:
    """A worked chain for a text block: the formula, then each step on a line of its own
    (``= ⌊25 / 2⌋ + 1``), so a long one need not scroll."""
    return chain.replace(" = ", "\n= ")


def _terms(*terms: tuple[str, str, bool]) -> tuple[str, str]:
    """The symbolic and the numeric side of a sum, keeping the terms that apply."""
    kept = [(symbol, value) for symbol, value, applies in terms if applies]
    return "".join(symbol for symbol, _ in kept), "".join(value for _, value in kept)


def conv_size_steps(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> str:
    """The size of ``Conv2d`` along one axis, ``⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1``, as a
    worked chain: the formula, the numbers put in, the result. Terms that change nothing
    are left out: ``n + 2p − k + 1`` without stride or dilation, ``n − k + 1`` without
    padding either."""
    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    if d == 1:
        kernel = (" − k + 1", f" − {k} + 1") if s == 1 else (" − k", f" − {k}")
    else:
        kernel = (" − d(k − 1)", f" − {d}·({k} − 1)")
        if s != 1:
            kernel = (kernel[0] + " − 1", kernel[1] + " − 1")
    symbolic, numeric = _terms(("n", f"{n}", True), (" + 2p", f" + 2·{p}", p != 0), (*kernel, True))
    if s == 1:
        return f"{symbolic} = {numeric} = {number(n + 2 * p - d * (k - 1))}"
    top = n + 2 * p - d * (k - 1) - 1
    return (
        f"⌊({symbolic}) / s⌋ + 1 = ⌊({numeric}) / {s}⌋ + 1 = ⌊{number(top)} / {s}⌋ + 1"
        f" = {number(top // s + 1)}"
    )


def pool_size_steps(size: int, kernel_size: int, stride: int, padding: int = 0) -> str:
    """The pooling size with ``ceil_mode=True``, ``⌈(n + 2p − k) / s⌉ + 1``, as a worked
    chain (PyTorch's check that the last window starts inside the input or its left
    padding is the caller's to state)."""
    n, k, s, p = size, kernel_size, stride, padding
    symbolic, numeric = _terms(("n", f"{n}", True), (" + 2p", f" + 2·{p}", p != 0))
    top = n + 2 * p - k
    return (
        f"⌈({symbolic} − k) / s⌉ + 1 = ⌈({numeric} − {k}) / {s}⌉ + 1 = ⌈{number(top)} / {s}⌉"
        f" + 1 = {number(-(-top // s) + 1)}"
    )


def transposed_size_steps(
    size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> str:
    """The size of ``ConvTranspose2d`` along one axis,
    ``(n − 1)·s − 2p + d(k − 1) + output_padding + 1``, as a worked chain (terms that
    change nothing left out)."""
    n, k, s, p, a, d = size, kernel_size, stride, padding, output_padding, dilation
    symbolic, numeric = _terms(
        ("(n − 1)·s", f"({n} − 1)·{s}", True),
        (" − 2p", f" − 2·{p}", p != 0),
        (" + (k − 1)", f" + ({k} − 1)", d == 1),
        (" + d(k − 1)", f" + {d}·({k} − 1)", d != 1),
        (" + output_padding", f" + {a}", a != 0),
        (" + 1", " + 1", True),
    )
    out = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    return f"{symbolic} = {numeric} = {out}"


# The explorer's keys in the order its canonical hash writes them (after op and input).
_EXPLORER_KEYS = (
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
)


def explorer_hash(op: str, input_shape: Sequence[int], **settings: object) -> str:
    """A setting in the explorer's URL form: ``op=conv2d&input=1,1,5,5&kernel_size=3``.

    ``op`` is the functional name (``conv2d``, ``conv_transpose2d``, ``max_pool2d``…);
    ``settings`` are the module's arguments that differ from their defaults, which the
    explorer leaves out of its canonical hash (a test checks the form in the explorer).
    """
    unknown = sorted(set(settings) - set(_EXPLORER_KEYS))
    if unknown:
        raise ValueError(f"settings {unknown} are not explorer keys {_EXPLORER_KEYS}")

    def text(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, tuple | list):
            return ",".join(str(part) for part in value)
        return str(value)

    parts = [f"op={op}", "input=" + ",".join(str(size) for size in input_shape)]
    parts += [f"{key}={text(settings[key])}" for key in _EXPLORER_KEYS if key in settings]
    return "&".join(parts)
