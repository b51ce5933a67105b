"""Run the site's plain ES modules in V8 (mini-racer), without a browser and without Node.

V8 here evaluates scripts, not modules, so `load` turns a module into a script: it
removes the `export` keyword in front of each top-level `function`, `const`, `let` or
`class` declaration, wraps the source in a function that returns those names, and keeps
the result under one global. A named import of another module by a relative path
(`import { a, b as c } from "../explorer/arithmetic.js";`) loads that module first, into
the same context, once, and reads the names from its global. Anything else that only a
module may contain (other imports, `export {…}`, `export default`) is refused with an
error rather than half-translated.

Values cross the boundary as JSON, both ways, so a test sees exactly what the page would
get from `JSON.stringify`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from py_mini_racer import MiniRacer

# `export` in front of a top-level declaration, at the start of a line.
EXPORTED = re.compile(r"^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b)", re.M)
DECLARED = re.compile(r"(?:async\s+)?(?:function\*?\s+|const\s+|let\s+|class\s+)([A-Za-z_$][\w$]*)")
UNSUPPORTED = re.compile(r"^\s*(?:import\b|export\s*\{|export\s+default\b)", re.M)
# `import { a, b as c } from "./path.js";` at the start of a line.
IMPORTED = re.compile(r"^import\s*\{([^}]*)\}\s*from\s*[\"'](\.{1,2}/[^\"']+)[\"'];?", re.M)


def as_script(source: str, name: str, imports: dict[str, str] | None = None) -> str:
    """The module's source as a script that defines `globalThis[name]` = its exports.

    `imports` maps each relative path the module imports from to the global that holds
    that module's exports (see `Module`)."""
    imports = imports or {}

    def bind(match: re.Match[str]) -> str:
        names = [part.strip() for part in match.group(1).split(",") if part.strip()]
        fields = ", ".join(re.sub(r"\s+as\s+", ": ", part) for part in names)
        return f"const {{ {fields} }} = globalThis[{json.dumps(imports[match.group(2)])}];"

    source = IMPORTED.sub(bind, source)
    if UNSUPPORTED.search(source):
        raise ValueError("only `export function/const/let/class` declarations are supported")
    names = []
    for match in EXPORTED.finditer(source):
        declared = DECLARED.match(source, match.end())
        if declared is None:
            raise ValueError(f"cannot read the exported name at offset {match.start()}")
        names.append(declared.group(1))
    body = EXPORTED.sub("", source)
    exports = ", ".join(names)
    return (
        f"globalThis[{json.dumps(name)}] = (function () {{\n"
        f'"use strict";\n{body}\nreturn {{ {exports} }};\n}})();\n'
    )


class Module:
    """One ES module loaded into its own V8 context. Close it (or use `with`) when done."""

    def __init__(self, path: Path, name: str = "module") -> None:
        self.name = name
        self.context = MiniRacer()
        self.loaded: dict[Path, str] = {}
        self._load(Path(path).resolve(), name)
        self.exports = json.loads(self.context.eval(f"JSON.stringify(Object.keys({name}))"))

    def _load(self, path: Path, name: str) -> None:
        """Evaluate a module, after the modules it imports (each once, in this context)."""
        source = path.read_text(encoding="utf-8")
        imports = {}
        for match in IMPORTED.finditer(source):
            target = (path.parent / match.group(2)).resolve()
            if target not in self.loaded:
                self._load(target, f"__module_{len(self.loaded)}__")
            imports[match.group(2)] = self.loaded[target]
        self.context.eval(as_script(source, name, imports))
        self.loaded[path] = name

    def call(self, function: str, *args: object) -> object:
        """Call an exported function with JSON-able arguments; return its JSON result."""
        if function not in self.exports:
            raise AttributeError(f"the module exports no {function!r}")
        payload = json.dumps(json.dumps(list(args)))
        script = f"JSON.stringify({self.name}[{json.dumps(function)}](...JSON.parse({payload})))"
        result = self.context.eval(script)
        return None if result is None else json.loads(result)

    def call_many(self, function: str, calls: list[list[object]]) -> list[object]:
        """Call an exported function once per argument list, in one trip into V8."""
        if function not in self.exports:
            raise AttributeError(f"the module exports no {function!r}")
        payload = json.dumps(json.dumps(calls))
        script = (
            f"JSON.stringify(JSON.parse({payload}).map("
            f"(args) => {self.name}[{json.dumps(function)}](...args)))"
        )
        return json.loads(self.context.eval(script))

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> Module:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
