"""What the plugin's hooks add to Saleor's request path.

Two modes, chosen by whether ``saleor`` is importable and DJANGO_SETTINGS_MODULE names
Saleor's settings:

* **Inside Saleor** (the budget): time Saleor's ``checkoutComplete`` through its GraphQL API,
  interleaving three set-ups in every round: plugin inactive (baseline), plugin active, and,
  as the anchor, Saleor's own WebhookPlugin with one async webhook subscribed to
  ORDER_CREATED. Needs a database prepared by ``manage.py populatedb`` and a Celery broker,
  so that queued tasks are queued, not run inside the request as eager Celery would::

      cd /path/to/saleor
      DJANGO_SETTINGS_MODULE=saleor.settings DATABASE_URL=postgres://.../saleor \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/14 SECRET_KEY=bench \\
        python /path/to/saleor-ma-plugin/bench/hook_overhead.py --rounds 40

  It changes data in that database (channel allows unpaid orders, orders, one app with a
  webhook, the plugin's configuration): use a scratch copy.

* **Standalone**: time the intake (snapshot -> event INSERT with dedupe -> after-commit
  wake-up) against a bare INSERT of the same payload into a table without the unique key,
  in the same database, interleaved::

      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/hook_overhead.py

Budget: plugin active / inactive <= 1.05 for checkoutComplete. The standalone ratio has no
budget of its own (a bare INSERT is the floor); it reports the absolute cost per hook.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    arguments = parser.parse_args()
    if os.environ.get("DJANGO_SETTINGS_MODULE", "").startswith("saleor."):
        import hook_overhead_saleor

        hook_overhead_saleor.run(arguments.rounds)
    else:
        import hook_overhead_standalone

        hook_overhead_standalone.run(arguments.rounds * 50)


if __name__ == "__main__":
    main()
