"""Size, depth and nesting limits, checked on the request before anything runs.

Everything here costs time linear in the size of the request, whatever its shape: the
field count of a fragment is computed once and multiplied where it is spread (never
expanded), counting stops at the first excess, and JSON and query nesting is measured
without recursion. So an anonymous request is answered or refused in a few milliseconds.
"""

from collections import Counter
from dataclasses import dataclass

from graphql.language import ast

#: Characters of query text: the dashboard's largest operation is a few thousand.
MAX_QUERY_LENGTH = 20_000
#: Selection depth: the standard introspection query (GraphiQL's schema docs and completion)
#: goes 14 deep through its nested ``ofType``s; every other operation far less.
MAX_DEPTH = 16
#: Fields an operation selects, counting every place a fragment is spread.
MAX_FIELDS = 400
#: Directives, arguments and selections written in the document.
MAX_NODES = 2_000
#: Nesting of variables and of list/object literals (brackets), checked before parsing.
MAX_NESTING = 32
#: Directives in one document (@skip and @include each cost work at every field).
MAX_DIRECTIVES = 50
#: Fragment definitions in one document (bounds how deep fragments can chain).
MAX_FRAGMENTS = 100
#: Times one response key may be selected side by side: GraphQL's validation compares
#: every pair of fields answering under the same key, so repeats cost quadratic time.
MAX_REPEATS = 10


class LimitExceeded(Exception):
    """The request is too big or too deep; the message says which limit."""


@dataclass
class _Cost:
    fields: int = 0
    depth: int = 0


def check_text(query: str) -> None:
    """Refuse overlong or deeply bracketed query text before the (recursive) parser sees it."""
    if len(query) > MAX_QUERY_LENGTH:
        raise LimitExceeded(
            f"The query has {len(query)} characters; the limit is {MAX_QUERY_LENGTH}."
        )
    depth = deepest = 0
    in_string = escaped = False
    for character in query:
        if in_string:
            escaped = not escaped and character == "\\"
            in_string = escaped or character != '"'
        elif character == '"':
            in_string = True
        elif character in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]})":
            depth -= 1
    limit = MAX_NESTING + MAX_DEPTH  # selections, arguments and literals together
    if deepest > limit:
        raise LimitExceeded(f"The query is nested {deepest} levels; the limit is {limit}.")


def check_json_nesting(value, limit: int = MAX_NESTING) -> None:
    """Refuse variables nested deeper than ``limit`` (iteratively: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > limit:
            raise LimitExceeded(f"The variables are nested deeper than {limit} levels.")
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def check_document(document) -> None:
    """Refuse documents over the depth, field or node limits, or with fragment cycles."""
    _count_nodes(document)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, ast.FragmentDefinition)
    }
    if len(fragments) > MAX_FRAGMENTS:
        raise LimitExceeded(f"The query defines more than {MAX_FRAGMENTS} fragments.")
    _Measure(fragments).operations(document)


def _count_nodes(document) -> None:
    nodes, directives, pending = 0, 0, list(document.definitions)
    while pending:
        node = pending.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise LimitExceeded(f"The query has more than {MAX_NODES} parts; that is the limit.")
        directives += len(getattr(node, "directives", None) or ())
        if directives > MAX_DIRECTIVES:
            raise LimitExceeded(f"The query uses more than {MAX_DIRECTIVES} directives.")
        pending.extend(getattr(node, "directives", None) or ())
        pending.extend(getattr(node, "arguments", None) or ())
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)


class _Measure:
    """Fields and depth of each fragment, once; operations add them up.

    ``base`` is the depth at which a selection set stands, so nesting is refused on the
    way down and the walk never recurses deeper than the limits allow.
    """

    def __init__(self, fragments: dict) -> None:
        self.fragments, self.costs, self.visiting = fragments, {}, set()

    def operations(self, document) -> None:
        fields = 0
        for definition in document.definitions:
            if isinstance(definition, ast.OperationDefinition):
                cost = self.selection_set(definition.selection_set, 0)
                fields += cost.fields
                _check(cost.depth, fields)

    def fragment(self, name: str, base: int) -> _Cost:
        if name in self.costs:
            return self.costs[name]
        if name in self.visiting:
            raise LimitExceeded(f"The fragment {name} spreads itself.")
        definition = self.fragments.get(name)
        if definition is None:
            return _Cost()  # validation reports the unknown fragment
        self.visiting.add(name)
        cost = self.selection_set(definition.selection_set, base)
        self.visiting.discard(name)
        self.costs[name] = cost
        return cost

    def selection_set(self, selection_set, base: int) -> _Cost:
        """Fields and depth of a selection set, relative to where it stands."""
        total = _Cost()
        if selection_set is None:
            return total
        _check_repeats(selection_set)
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                if selection.selection_set is not None:
                    _check(base + 1, 0)
                inner = self.selection_set(selection.selection_set, base + 1)
                total.fields += 1 + inner.fields
                if selection.selection_set is not None:
                    total.depth = max(total.depth, inner.depth + 1)
            else:
                inner = (
                    self.fragment(selection.name.value, base)
                    if isinstance(selection, ast.FragmentSpread)
                    else self.selection_set(selection.selection_set, base)
                )
                total.fields += inner.fields
                total.depth = max(total.depth, inner.depth)
            _check(base + total.depth, total.fields)
        return total


def _check_repeats(selection_set) -> None:
    keys = Counter(
        (selection.alias or selection.name).value
        for selection in selection_set.selections
        if isinstance(selection, ast.Field)
    )
    key, times = keys.most_common(1)[0] if keys else ("", 0)
    if times > MAX_REPEATS:
        raise LimitExceeded(
            f"The field {key} is selected {times} times in one place; the limit is {MAX_REPEATS}."
        )


def _check(depth: int, fields: int) -> None:
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"The query is {depth} levels deep; the limit is {MAX_DEPTH}.")
    if fields > MAX_FIELDS:
        raise LimitExceeded(f"The query selects {fields} fields; the limit is {MAX_FIELDS}.")
