"""Images in, ``1×C×H×W`` float tensors in [0, 1] out, with PIL and NumPy only.

The default image is the public-domain portrait of Grace Hopper that ships with
matplotlib (``matplotlib/mpl-data/sample_data/grace_hopper.jpg``), so nothing is
downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

__all__ = ["SAMPLE_IMAGE", "load_image", "resolve_image_path", "to_tensor"]

#: Name of the bundled sample, as accepted by ``matplotlib.cbook.get_sample_data``.
SAMPLE_IMAGE = "grace_hopper.jpg"
_SAMPLE_PREFIX = "matplotlib:"

ImageSource = str | os.PathLike[str] | Image.Image


def resolve_image_path(source: str | os.PathLike[str] | None = None) -> Path:
    """Path of an image given as a path, ``"matplotlib:<name>"`` or ``None`` (the sample).

    Raises ``FileNotFoundError`` naming the path when there is no such file.
    """
    if source is None:
        source = _SAMPLE_PREFIX + SAMPLE_IMAGE
    text = os.fspath(source)
    if text.startswith(_SAMPLE_PREFIX):
        from matplotlib import cbook

        name = text.removeprefix(_SAMPLE_PREFIX)
        path = Path(cbook.get_sample_data(name, asfileobj=False))
    else:
        path = Path(text)
    if not path.is_file():
        raise FileNotFoundError(f"image file not found: {path}")
    return path


def to_tensor(image: Image.Image) -> torch.Tensor:
    """A PIL image as a ``1×C×H×W`` float32 tensor with values in [0, 1].

    Grey-scale (``L``) images give one channel, ``RGB`` images three; other modes
    are converted to ``RGB`` first.
    """
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    array = np.asarray(image, dtype=np.float32) / 255.0
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).contiguous()


def load_image(
    source: ImageSource | None = None,
    *,
    size: int | tuple[int, int] | None = None,
    mode: str = "RGB",
) -> torch.Tensor:
    """Load an image as a ``1×C×H×W`` tensor in [0, 1].

    Parameters
    ----------
    source
        A path, a PIL image, ``"matplotlib:<name>"`` for a matplotlib sample, or ``None``
        for the bundled Grace Hopper portrait.
    size
        ``None`` keeps the original size; an integer scales the longer side to that many
        pixels, keeping the aspect ratio; ``(height, width)`` resizes exactly.
    mode
        ``"RGB"`` (three channels) or ``"L"`` (one grey channel).

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    ValueError
        The file is not a readable image, or ``size`` or ``mode`` is invalid.
    """
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be 'RGB' or 'L', got {mode!r}")
    if isinstance(source, Image.Image):
        image = source
    else:
        path = resolve_image_path(source)
        try:
            with Image.open(path) as opened:
                opened.load()
                image = opened.copy()
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValueError(f"cannot read image {path}: {error}") from error
    image = image.convert(mode)
    if size is not None:
        image = image.resize(_target_size(size, image.size), Image.Resampling.LANCZOS)
    return to_tensor(image)


def _target_size(size: int | tuple[int, int], current: tuple[int, int]) -> tuple[int, int]:
    """PIL ``(width, height)`` for ``size`` given the current ``(width, height)``."""
    if isinstance(size, int) and not isinstance(size, bool):
        if size < 1:
            raise ValueError(f"size must be positive, got {size}")
        width, height = current
        scale = size / max(width, height)
        return max(1, round(width * scale)), max(1, round(height * scale))
    if (
        isinstance(size, tuple | list)
        and len(size) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in size)
    ):
        height, width = size
        return width, height
    raise ValueError(f"size must be a positive integer or (height, width), got {size!r}")
