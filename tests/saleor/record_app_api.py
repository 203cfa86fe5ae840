"""Records what Saleor's GraphQL API answers the App's shop-data queries, for plugin tests.

Not collected by default (no ``test_`` prefix); run it by name inside Saleor's venv, as
``tests/saleor`` runs, to regenerate ``tests/fixtures/saleor_app_api/``:

    .venv/bin/python -m pytest <repo>/tests/saleor/record_app_api.py -n 0 --reuse-db \
        -c <repo>/tests/saleor/pytest.ini

Each fixture is one request body the App sent and the bytes Saleor answered.
"""

import json
from pathlib import Path

import pytest
from saleor.product.models import ProductMedia

from saleor_ma_plugin.saleor_app.catalogue import AppCatalogue

from .test_app_shop_data_in_saleor import saleor_api  # noqa: F401 (fixture)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "saleor_app_api"
pytestmark = pytest.mark.django_db


def test_record_recommendations(saleor_api, product_list, image):  # noqa: F811
    # given three pictured products in stock, none sold yet
    for product in product_list:
        ProductMedia.objects.create(product=product, image=image)

    # when the App builds its recommendation pool for English readers, as a send batch does
    pool = AppCatalogue().candidates([], 24)
    AppCatalogue().translated_names(sorted(info.product_id for info in pool), [], ["en"])

    # then a listing, the language list and the names were asked; stored with the answers
    assert [info.name for info in pool] == [product.name for product in product_list]
    assert len(saleor_api.bodies) == 3
    FIXTURES.mkdir(parents=True, exist_ok=True)
    recorded = [
        {"request": json.loads(body), "response": json.loads(answer)}
        for body, answer in zip(saleor_api.bodies, saleor_api.answers, strict=True)
    ]
    (FIXTURES / "recommendations.json").write_text(json.dumps(recorded, indent=2) + "\n")
