"""Image loading without torchvision: shapes, value range, resizing and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from matplotlib import cbook
from PIL import Image

from convdemo import load_image, resolve_image_path, to_tensor


def test_default_is_the_bundled_grace_hopper_photo():
    path = resolve_image_path()
    assert path == Path(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    image = load_image()
    width, height = Image.open(path).size
    assert image.shape == (1, 3, height, width)
    assert image.dtype == torch.float32
    assert image.min() >= 0.0 and image.max() <= 1.0


def test_values_are_pixels_over_255():
    pil = Image.fromarray(np.array([[[0, 51, 255], [255, 0, 102]]], dtype=np.uint8))
    torch.testing.assert_close(
        to_tensor(pil)[0, :, 0, :], torch.tensor([[0, 1.0], [0.2, 0], [1.0, 0.4]])
    )


def test_longest_side_resize_keeps_the_aspect_ratio():
    width, height = Image.open(resolve_image_path()).size
    image = load_image(size=100)
    assert max(image.shape[2:]) == 100
    assert image.shape[3] == round(width * 100 / max(width, height))


def test_exact_resize_and_grey_mode():
    assert load_image(size=(30, 40), mode="L").shape == (1, 1, 30, 40)


def test_pil_image_in():
    pil = Image.new("RGBA", (7, 5), (10, 20, 30, 40))
    assert load_image(pil).shape == (1, 3, 5, 7)


def test_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "no-such-photo.jpg"
    with pytest.raises(FileNotFoundError, match=r"no-such-photo\.jpg"):
        load_image(missing)


def test_corrupt_file_names_the_path(tmp_path):
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(ValueError, match=r"cannot read image .*corrupt\.jpg"):
        load_image(corrupt)


@pytest.mark.parametrize("size", [0, -3, (10,), (0, 5), "big", True])
def test_bad_sizes_are_rejected(size):
    with pytest.raises(ValueError, match="size"):
        load_image(size=size)


def test_bad_mode_is_rejected():
    with pytest.raises(ValueError, match="mode"):
        load_image(mode="CMYK")


def test_the_figure_build_finds_the_same_sample_without_importing_matplotlib():
    # figures.config resolves "matplotlib:<name>" by path so a warm build need not import
    # matplotlib; it must agree with matplotlib's own lookup.
    from figures.config import DEFAULT_CONFIG, Config

    config = Config("matplotlib:grace_hopper.jpg", 0, Path("/unused"), DEFAULT_CONFIG)
    assert config.photo_path() == resolve_image_path("matplotlib:grace_hopper.jpg")
