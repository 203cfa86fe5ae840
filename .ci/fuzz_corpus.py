"""Generate GraphQL operations for every root field of the API, with hypothesis-graphql.

    python .ci/fuzz_corpus.py graphql/schema.graphql 25 > corpus.jsonl

hypothesis-graphql needs graphql-core 3, which cannot live beside the graphene 2 stack the
API runs on, so this runs in a virtual environment of its own and writes the operations,
one JSON object a line ({"field", "kind", "mode", "query"}); ``fuzz_api.py`` replays them
against the real view. The same seed gives the same corpus.
"""

import base64
import json
import sys
from datetime import UTC

from graphql import NameNode, ObjectFieldNode, build_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import Mode, mutations, queries
from hypothesis_graphql.nodes import Boolean, Float, Int, List, Object, String

#: Keys of JSON objects: GraphQL object literals need names, JSON keys in our API are names.
NAMES = st.sampled_from(
    [
        "type",
        "event",
        "where",
        "field",
        "op",
        "value",
        "all",
        "any",
        "not",
        "tag",
        "template",
        "channel",
        "days",
        "hours",
        "consent",
        "segment",
        "rfm",
        "score",
        "x",
    ]
)

#: Types whose first three rows the replay seeds; ids of them reach real objects.
SEEDED = ["Campaign", "Contact", "Segment", "Template", "NewsletterTopic", "ScoreRule"]
IDS = st.one_of(
    st.builds(
        lambda type_name, pk: base64.b64encode(f"{type_name}:{pk}".encode()).decode(),
        st.sampled_from(SEEDED),
        st.sampled_from([1, 2, 3, 0, -1, 2**63]),
    ),
    st.text(max_size=30),
).map(String)

SCALARS = {
    "ID": IDS,
    "Date": st.dates().map(lambda day: String(day.isoformat())),
    "DateTime": st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda moment: String(moment.isoformat())),
        st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00", "2026-13-45"]).map(
            String
        ),
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False).map(lambda value: String(str(value))),
        st.sampled_from(["1e400", "-0", "12.345678901234567890"]).map(String),
    ),
    "JSON": st.recursive(
        st.one_of(
            st.text(max_size=20).map(String),
            st.integers(-(2**40), 2**40).map(Int),
            st.floats(allow_nan=False, allow_infinity=False).map(Float),
            st.booleans().map(Boolean),
        ),
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(List),
            st.dictionaries(NAMES, children, max_size=4).map(
                lambda fields: Object(
                    [
                        ObjectFieldNode(name=NameNode(value=name), value=value)
                        for name, value in fields.items()
                    ]
                )
            ),
        ),
        max_leaves=8,
    ),
}


def root_fields(schema, type_name: str) -> list[str]:
    root = schema.get_type(type_name)
    return sorted(root.fields) if root else []


def generate(sdl: str, per_field: int) -> list[dict]:
    schema = build_schema(sdl)
    corpus: list[dict] = []
    for kind, strategy_for, type_name in (
        ("query", queries, "Query"),
        ("mutation", mutations, "Mutation"),
    ):
        for field in root_fields(schema, type_name):
            if field == "node":
                continue
            for mode in (Mode.POSITIVE, Mode.NEGATIVE):
                # graphql-core 2, which the API runs on, has no null literal.
                strategy = strategy_for(
                    sdl, fields=[field], custom_scalars=SCALARS, mode=mode, allow_null=False
                )
                label = {"field": field, "kind": kind, "mode": mode.name.lower()}
                try:
                    drawn = _draw(strategy, per_field)
                except InvalidArgument:
                    continue  # nothing to violate: a field without arguments has no wrong input
                corpus += [{**label, "query": query} for query in drawn]
    return corpus


def _draw(strategy, count: int) -> list[str]:
    drawn: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(query):
        drawn.append(query)

    collect()
    return drawn


if __name__ == "__main__":
    sdl_path, per_field = sys.argv[1], int(sys.argv[2])
    with open(sdl_path, encoding="utf-8") as handle:
        for item in generate(handle.read(), per_field):
            print(json.dumps(item))
