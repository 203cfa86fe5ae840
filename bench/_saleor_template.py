"""Build a Saleor database for bench/webhook_intake.py --saleor to copy: run by the bench.

Runs with Saleor's Python and settings on the ``DATABASE_URL`` it is given: Saleor's
migrations, populatedb's channels, shipping, warehouses and products (no images), one order
placed through Saleor's own ``checkoutComplete`` (the order every bench order is cloned
from) and a superuser who installs the App. About five minutes; the bench keeps the result
as a template database and copies it for every run.

Two steps, each in a process of its own (``stock``, then ``order``): placed in the process
that had just stocked the shop, the order found no purchasable variant.
"""

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

STAFF_EMAIL = "bench-staff@example.com"


def main(step: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from saleor.account.models import User
    from transactional import place_template_order, prepare_shop

    if step == "stock":
        call_command("migrate", verbosity=0)
        prepare_shop()
    else:
        place_template_order()
        User.objects.create(email=STAFF_EMAIL, is_staff=True, is_superuser=True)


if __name__ == "__main__":
    main(sys.argv[1])
