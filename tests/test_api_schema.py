"""The checked-in SDL and example operations agree with the schema the code builds."""

from importlib import import_module
from pathlib import Path

import pytest
from graphene.utils.str_converters import to_camel_case
from graphql.language import ast
from graphql.language.parser import parse
from graphql.validation import validate

from saleor_ma_plugin.graphql_api.schema import schema
from saleor_ma_plugin.management.commands.marketing_graphql_schema import printed_schema
from saleor_ma_plugin.management.commands.marketing_reference import reference

ROOT = Path(__file__).resolve().parent.parent
SDL = ROOT / "graphql" / "schema.graphql"
OPERATIONS = ROOT / "graphql" / "operations"
ADMIN_AREAS = (
    "campaigns",
    "messaging",
    "contacts",
    "reports",
    "scoring",
    "experiments",
    "segments",
    "dashboard",
    "privacy",
    "settings",
)


def operation_files() -> list[Path]:
    return sorted(OPERATIONS.rglob("*.graphql"))


def admin_fields() -> set[str]:
    """The camelCased Query and Mutation fields of the admin areas."""
    names = set()
    for area in ADMIN_AREAS:
        module = import_module(f"saleor_ma_plugin.graphql_api.{area}.schema")
        for kind in ("Queries", "Mutations"):
            part = getattr(module, kind, None)
            if part is not None:
                names.update(
                    field.name or to_camel_case(key) for key, field in part._meta.fields.items()
                )
    return names


def test_checked_in_sdl_is_the_printed_schema():
    assert SDL.read_text(encoding="utf-8") == printed_schema(), (
        "graphql/schema.graphql is out of date: run "
        "`python manage.py marketing_graphql_schema` and commit the result."
    )


def test_there_are_operation_files():
    assert len(operation_files()) >= len(admin_fields())


@pytest.mark.parametrize(
    "path", operation_files(), ids=lambda path: str(path.relative_to(OPERATIONS))
)
def test_operation_parses_and_validates(path):
    # when
    document = parse(path.read_text(encoding="utf-8"))
    errors = validate(schema, document)

    # then
    assert [error.message for error in errors] == []


@pytest.mark.parametrize(
    "path",
    sorted((OPERATIONS / "admin").glob("*.graphql")),
    ids=lambda path: path.stem,
)
def test_admin_operation_file_is_one_operation_named_like_the_file(path):
    # when
    document = parse(path.read_text(encoding="utf-8"))
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, ast.OperationDefinition)
    ]

    # then
    assert [operation.name.value for operation in operations] == [path.stem]
    [selection] = operations[0].selection_set.selections
    assert selection.name.value == path.stem


def test_every_admin_field_has_an_example_operation():
    examples = {path.stem for path in (OPERATIONS / "admin").glob("*.graphql")}
    assert sorted(admin_fields() - examples) == []
    assert sorted(examples - admin_fields()) == []


def test_checked_in_reference_is_the_registries():
    page = ROOT / "docs" / "reference.md"
    assert page.read_text(encoding="utf-8") == reference(), (
        "docs/reference.md is out of date: run `python manage.py marketing_reference` "
        "and commit the result."
    )
