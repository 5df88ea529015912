"""The integrations guide (`integrations.rst`, as written) and a runner for its Python blocks.

Every `.. code-block:: python` of the guide is a `Block`, numbered in reading order. The tests beside it run each
one exactly as written: `GuideRunner.run` executes a block in a namespace that carries over from block to block, as
a reader's module would; `GuideRunner.view` runs a block that reads `request` (or ends with `return`, as the guide's
view fragments do) as the body of a Django view, so Django's test client can call it; `GuideRunner.urls` routes
such views. A test claims its blocks with `@pytest.mark.guide(n, ...)`, and the `guide` fixture fails the test when
a claimed block did not run; `test_guide_catalog.py` checks that every block is claimed.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

GUIDE = Path(__file__).resolve().with_name("integrations.rst")
_HEADING_RULE = re.compile(r"^[=\-~^#*]{3,}$")
_PYTHON_BLOCK = re.compile(r"^\s*\.\. code-block:: python\s*$")


@dataclass(frozen=True)
class Block:
    """One Python code block of the guide: its number (1-based, reading order), line, section title and code."""

    number: int
    line: int
    section: str
    code: str


@cache
def blocks() -> dict[int, Block]:
    """Every Python block of the guide, by number."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    found: dict[int, Block] = {}
    section = ""
    index = 0
    while index < len(lines):
        text = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if text.strip() and not text[0].isspace() and _HEADING_RULE.match(following):
            section = text.strip()
        if _PYTHON_BLOCK.match(text):
            body, index = _indented_body(lines, index + 1)
            number = len(found) + 1
            found[number] = Block(number, index - len(body), section, "\n".join(body))
            continue
        index += 1
    return found


def _indented_body(lines: list[str], start: int) -> tuple[list[str], int]:
    """The directive's content starting at `start` (blank lines, then lines indented deeper), dedented."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        return [], index
    indent = len(lines[index]) - len(lines[index].lstrip())
    body: list[str] = []
    while index < len(lines) and (not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) >= indent):
        body.append(lines[index][indent:])
        index += 1
    while body and not body[-1].strip():
        body.pop()
    return body, index


class GuideRunner:
    """Runs guide blocks as written in one shared namespace, and remembers which ran."""

    def __init__(self, **names: Any) -> None:
        self.namespace: dict[str, Any] = {"__name__": "guide_blocks", **names}
        self.ran: set[int] = set()
        self.view_locals: dict[int, dict[str, Any]] = {}
        """What each view block's body had bound when it finished, by block number."""
        self._modules: list[str] = []

    def code(self, number: int) -> str:
        """Block `number`'s code, as the guide writes it."""
        return blocks()[number].code

    def missing_from(self, number: int, module: types.ModuleType, *, by_paragraph: bool = False) -> list[str]:
        """What of settings block `number` (below its `# settings/<file>.py` line) `module`'s source lacks: the
        whole text, or with `by_paragraph` each paragraph on its own (where the module defines names between)."""
        header, _, settings_text = self.code(number).partition("\n")
        assert header.startswith("# settings/"), f"block {number} is no settings block"
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        parts = [part.strip() for part in settings_text.split("\n\n")] if by_paragraph else [settings_text]
        return [part for part in parts if part not in source]

    def run(self, number: int, fill: Mapping[str, str] | None = None, **names: Any) -> str:
        """Execute block `number` (after binding `names`, the values the guide's prose leaves to the reader); what it
        printed. `fill` replaces the guide's `<placeholders>` (`<service_name>`), as its prose tells the reader to."""
        self.namespace.update(names)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(self._compiled(number, fill), self.namespace)
        self.ran.add(number)
        return printed.getvalue()

    def file_text(self, number: int, fill: Mapping[str, str] | None = None) -> str:
        """Block `number` as a file's contents, placeholders filled (for pytest to run); it counts as run."""
        self.ran.add(number)
        return self._filled(number, fill, self.code(number))

    def _filled(self, number: int, fill: Mapping[str, str] | None, code: str) -> str:
        for placeholder, value in (fill or {}).items():
            assert placeholder in code, f"block {number} has no {placeholder}"
            code = code.replace(placeholder, value)
        return code

    def _compiled(self, number: int, fill: Mapping[str, str] | None = None, source: str | None = None) -> Any:
        block = blocks()[number]
        code = self._filled(number, fill, block.code if source is None else source)
        return compile(code, f"{GUIDE.name}:block {number} (line {block.line})", "exec")

    def view(self, number: int) -> Callable[..., Any]:
        """Block `number` as the body of a Django view `(request)`, in the shared namespace; without a `return` of
        its own it answers 204. What its body had bound when it ended is kept in `view_locals[number]`."""
        from django.http import HttpResponse

        def record(bound: dict[str, Any]) -> None:
            self.view_locals[number] = bound
            self.ran.add(number)

        self.namespace[f"_guide_record_{number}"] = record
        self.namespace["_guide_no_content"] = lambda: HttpResponse(status=204)
        body = textwrap.indent(self.code(number), "        ")
        source = (
            f"def _guide_view_{number}(request):\n    try:\n{body}\n    finally:\n"
            f"        _guide_record_{number}(locals())\n    return _guide_no_content()\n"
        )
        exec(self._compiled(number, source=source), self.namespace)
        view: Callable[..., Any] = self.namespace[f"_guide_view_{number}"]
        return view

    @contextlib.contextmanager
    def urls(self, routes: Mapping[str, Callable[..., Any]]) -> Iterator[None]:
        """Serve `routes` ({"path/": view}) as the project's whole URLconf inside the `with`."""
        from django.test import override_settings
        from django.urls import path

        urlconf = types.ModuleType("guide_urls")
        urlconf.urlpatterns = [path(route, view) for route, view in routes.items()]  # type: ignore[attr-defined]
        with override_settings(ROOT_URLCONF=urlconf):
            yield

    def module(self, number: int, name: str) -> types.ModuleType:
        """Block `number` as the importable module `name` (as if saved at that path), until `forget_modules`."""
        module = types.ModuleType(name)
        module.__file__ = f"{GUIDE}:block {number}"
        exec(self._compiled(number), module.__dict__)
        sys.modules[name] = module
        self._modules.append(name)
        self.ran.add(number)
        return module

    def forget_modules(self) -> None:
        """Unregister the modules `module` made."""
        for name in self._modules:
            sys.modules.pop(name, None)
        self._modules.clear()
