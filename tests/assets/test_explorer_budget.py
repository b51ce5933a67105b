"""The explorer's own script within its budget: about 30 KB gzipped, held to 32 KB.

The page loads one module, the `<script type="module">` of docs/explorer.md, and that
module imports the others by relative path. The explorer's own modules are those in the
entry module's folder (docs/assets/explorer/); the step player they import from
docs/assets/ is every page's, loaded for the animations, and is not counted. What is
weighed is each own module once, one after another, gzipped at level 9: the script as
one download would bring it.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from tests.assets.jsengine import IMPORTED

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "explorer.md"
BUDGET = 32 * 1024  # bytes, gzipped
SCRIPT = re.compile(r'<script type="module" src="([^"]+)"')


def own_modules() -> list[Path]:
    """The page's module and the modules of its folder it imports, in the order reached."""
    # The page is served as explorer/, so its relative addresses start from there.
    (entry,) = SCRIPT.findall(PAGE.read_text(encoding="utf-8"))
    pending = [(DOCS / PAGE.stem / entry).resolve()]
    folder = pending[0].parent
    modules: list[Path] = []
    while pending:
        module = pending.pop(0)
        if module in modules or module.parent != folder:
            continue
        modules.append(module)
        source = module.read_text(encoding="utf-8")
        pending += [(module.parent / m.group(2)).resolve() for m in IMPORTED.finditer(source)]
    return modules


def test_the_explorer_script_is_within_its_budget():
    modules = own_modules()
    names = [module.name for module in modules]
    assert {"explorer.js", "arithmetic.js", "controls.js", "grids.js"} <= set(names)
    script = b"".join(module.read_bytes() for module in modules)
    size = len(gzip.compress(script, compresslevel=9, mtime=0))
    assert size <= BUDGET, f"{size} bytes gzipped, over the budget of {BUDGET}: {names}"
