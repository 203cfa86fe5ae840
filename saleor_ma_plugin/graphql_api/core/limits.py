"""Depth and size limits, checked on the parsed document before anything runs."""

from graphql.language import ast

MAX_DEPTH = 12
MAX_FIELDS = 400


def _fragments(document) -> dict:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, ast.FragmentDefinition)
    }


def measure(document) -> tuple[int, int]:
    """(deepest selection, number of selected fields), fragments expanded."""
    fragments = _fragments(document)
    deepest, fields = 0, 0

    def walk(selection_set, depth: int, seen: frozenset) -> None:
        nonlocal deepest, fields
        if selection_set is None:
            return
        deepest = max(deepest, depth)
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                fields += 1
                walk(selection.selection_set, depth + 1, seen)
            elif isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                if name not in seen and name in fragments:
                    walk(fragments[name].selection_set, depth, seen | {name})
            elif isinstance(selection, ast.InlineFragment):
                walk(selection.selection_set, depth, seen)

    for definition in document.definitions:
        if isinstance(definition, ast.OperationDefinition):
            walk(definition.selection_set, 0, frozenset())
    return deepest, fields


def limit_error(document) -> str | None:
    depth, fields = measure(document)
    if depth > MAX_DEPTH:
        return f"The query is {depth} levels deep; the limit is {MAX_DEPTH}."
    if fields > MAX_FIELDS:
        return f"The query selects {fields} fields; the limit is {MAX_FIELDS}."
    return None
