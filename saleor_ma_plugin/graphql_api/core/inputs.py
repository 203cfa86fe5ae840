"""Checks of input values that hold for every argument of every operation.

PostgreSQL cannot store NUL characters in text; no name, address or rule needs one, so
they are refused before the operation runs instead of failing deep inside a write. No
input needs a list of more than MAX_LIST items either (the largest, a rule's ``in``, is
limited to 500): longer lists are refused before any work is done for them.
"""

from graphql.language import ast


class InputRefused(Exception):
    """An input value no operation accepts; the message says which."""


NUL_MESSAGE = "Text must not contain NUL characters (\\u0000)."
MAX_LIST = 500


def check_inputs(document, variables: dict) -> None:
    """Refuse NUL in any string and overlong lists, in the document's literals and variables."""
    pending: list = [*document.definitions, variables]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if "\x00" in node:
                raise InputRefused(NUL_MESSAGE)
        elif isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            if len(node) > MAX_LIST:
                raise InputRefused(f"Lists have at most {MAX_LIST} items.")
            pending.extend(node)
        elif isinstance(node, ast.StringValue):
            pending.append(node.value)
        elif isinstance(node, ast.ListValue) and len(node.values) > MAX_LIST:
            raise InputRefused(f"Lists have at most {MAX_LIST} items.")
        elif isinstance(node, ast.Node):
            pending.extend(
                value
                for name in node.__slots__
                if name != "loc"
                and isinstance(value := getattr(node, name, None), list | ast.Node)
            )
