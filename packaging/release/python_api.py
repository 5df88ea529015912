"""The public Python API of a distribution as a flat, stable report, and the diff of two reports.

griffe reads the packages statically (nothing is imported). An object is public when no part of the path a user
writes starts with `_`. Objects are keyed by that path, not by where they are defined, so moving a class behind a
re-export changes nothing; a class lists its inherited members as its own, so moving a method into a base class or
mixin is no removal either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import griffe

from .changes import Change, Level

Entry = dict[str, Any]
Report = dict[str, Entry]


def _public(name: str) -> bool:
    return not name.startswith("_")


def _text(expression: object) -> str | None:
    return None if expression is None else str(expression)


def _function_entry(function: griffe.Function) -> Entry:
    parameters = [
        [p.name, p.kind.value if p.kind else "positional or keyword", _text(p.annotation), p.default is not None]
        for p in function.parameters
        if p.name not in ("self", "cls")
    ]
    return {"kind": "function", "parameters": parameters, "returns": _text(function.returns)}


def _exported(module: griffe.Module) -> list[tuple[str, griffe.Object | griffe.Alias]]:
    """A module's public members: its `__all__` when it has one, else what it defines plus re-exports of ours."""
    names = module.exports
    members = module.members
    if names is not None:
        return [(name, members[name]) for name in sorted(str(n) for n in names) if name in members]
    chosen = []
    for name, member in sorted(members.items()):
        if not _public(name):
            continue
        if member.is_alias:
            # Imported names are API only when a package re-exports one of its own objects (`from .x import Y`).
            target = member.target_path  # type: ignore[union-attr]
            if not (module.is_package and target.split(".")[0] == module.path.split(".")[0]):
                continue
        chosen.append((name, member))
    return chosen


def _resolved(member: griffe.Object | griffe.Alias) -> griffe.Object | None:
    try:
        return member.final_target if member.is_alias else member  # type: ignore[union-attr,return-value]
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _walk(path: str, obj: griffe.Object, report: Report, seen: set[str]) -> None:
    if obj.is_module:
        if path in seen:
            return
        seen.add(path)
        report[path] = {"kind": "module"}
        for name, member in _exported(obj):  # type: ignore[arg-type]
            target = _resolved(member)
            if target is not None:
                _walk(f"{path}.{name}", target, report, seen)
        return
    if obj.is_class:
        # A private base is an implementation detail; what users rely on are the public classes it names.
        bases = sorted(str(base) for base in obj.bases if _public(str(base).split(".")[-1]))  # type: ignore[attr-defined]
        report[path] = {"kind": "class", "bases": bases}
        try:
            members = obj.all_members
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            members = obj.members
        for name, member in sorted(members.items()):
            if _public(name) or name == "__init__" or name == "__call__":
                target = _resolved(member)
                if target is not None and not target.is_module and not target.is_class:
                    _walk(f"{path}.{name}", target, report, seen)
        return
    if obj.is_function:
        report[path] = _function_entry(obj)  # type: ignore[arg-type]
        return
    if obj.is_attribute:
        report[path] = {"kind": "attribute", "annotation": _text(obj.annotation)}  # type: ignore[attr-defined]


def surface(packages: tuple[str, ...], search_paths: list[Path]) -> Report:
    """The public API report of `packages`, read from `search_paths` (the repository's src/ and generated/)."""
    loader = griffe.GriffeLoader(search_paths=[str(p) for p in search_paths])
    modules = [loader.load(package) for package in packages]
    loader.resolve_aliases(implicit=False, external=False)
    report: Report = {}
    for module in modules:
        if isinstance(module, griffe.Module):
            _walk_modules(module, report)
    return dict(sorted(report.items()))


def _walk_modules(module: griffe.Module, report: Report) -> None:
    seen: set[str] = set()
    _walk(module.path, module, report, seen)
    for name, submodule in sorted(module.modules.items()):
        if _public(name) and not submodule.is_alias:
            _walk_modules(submodule, report)


def _annotation_parts(annotation: str | None) -> set[str]:
    return {part.strip() for part in (annotation or "").split("|")}


def _parameter_changes(subject: str, old: Entry, new: Entry) -> list[Change]:
    changes: list[Change] = []
    old_params = {p[0]: p for p in old["parameters"]}
    new_params = {p[0]: p for p in new["parameters"]}
    positional = ("positional-only", "positional or keyword")
    old_order = [p[0] for p in old["parameters"] if p[1] in positional]
    new_order = [p[0] for p in new["parameters"] if p[1] in positional]
    for name, (_, kind, annotation, has_default) in old_params.items():
        if name not in new_params:
            if kind not in ("variadic positional", "variadic keyword"):
                changes.append(Change(Level.BREAKING, subject, f"parameter `{name}` removed"))
            continue
        _, new_kind, new_annotation, new_default = new_params[name]
        if has_default and not new_default:
            changes.append(Change(Level.BREAKING, subject, f"parameter `{name}` made required"))
        if kind in positional and new_kind not in positional:
            changes.append(Change(Level.BREAKING, subject, f"parameter `{name}` made keyword-only"))
        elif kind != new_kind and new_kind in positional:
            changes.append(Change(Level.ADDITIVE, subject, f"parameter `{name}` may now be passed by position"))
        if annotation != new_annotation:
            widened = _annotation_parts(annotation) <= _annotation_parts(new_annotation)
            level = Level.ADDITIVE if widened else Level.BREAKING
            changes.append(Change(level, subject, f"parameter `{name}` type {annotation} -> {new_annotation}"))
    kept_old = [name for name in old_order if name in new_order]
    if kept_old != [name for name in new_order if name in kept_old] or new_order[: len(kept_old)] != kept_old:
        if any(new_params[name][1] in positional for name in new_order if name not in old_params):
            changes.append(Change(Level.BREAKING, subject, "positional parameters reordered or one inserted"))
        elif kept_old != [name for name in new_order if name in kept_old]:
            changes.append(Change(Level.BREAKING, subject, "positional parameters reordered"))
    for name, (_, kind, _annotation, has_default) in new_params.items():
        if name in old_params or kind in ("variadic positional", "variadic keyword"):
            continue
        if not has_default:
            changes.append(Change(Level.BREAKING, subject, f"required parameter `{name}` added"))
        else:
            changes.append(Change(Level.ADDITIVE, subject, f"optional parameter `{name}` added"))
    if old["returns"] != new["returns"]:
        narrowed = _annotation_parts(new["returns"]) <= _annotation_parts(old["returns"])
        level = Level.ADDITIVE if narrowed else Level.BREAKING
        changes.append(Change(level, subject, f"return type {old['returns']} -> {new['returns']}"))
    return changes


def diff(old: Report, new: Report) -> list[Change]:
    """Every change from `old` to `new`: removals, kind and signature changes, additions."""
    changes: list[Change] = []
    for path, entry in old.items():
        if path not in new:
            # Report the top-most removed object only: its members went with it.
            parent = path.rsplit(".", 1)[0]
            if parent in new or parent not in old:
                changes.append(Change(Level.BREAKING, path, f"{entry['kind']} removed"))
            continue
        current = new[path]
        if entry["kind"] != current["kind"]:
            changes.append(Change(Level.BREAKING, path, f"changed from {entry['kind']} to {current['kind']}"))
        elif entry["kind"] == "function":
            changes.extend(_parameter_changes(path, entry, current))
        elif entry["kind"] == "class":
            lost = sorted(set(entry["bases"]) - set(current["bases"]))
            if lost:
                changes.append(Change(Level.BREAKING, path, f"base class {', '.join(lost)} removed"))
        elif entry["kind"] == "attribute" and entry["annotation"] != current["annotation"]:
            what = f"type {entry['annotation']} -> {current['annotation']}"
            changes.append(Change(Level.BREAKING, path, what))
    for path, entry in new.items():
        parent = path.rsplit(".", 1)[0]
        if path not in old and (parent in old or parent not in new):
            changes.append(Change(Level.ADDITIVE, path, f"{entry['kind']} added"))
    return changes
