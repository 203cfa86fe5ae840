"""App mode: Saleor's asynchronous webhooks as a second intake beside the plugin's hooks.

The standalone host registers as a Saleor App (``manifest.py``), keeps the App token of
the one Saleor it serves (``models.py``), verifies every delivery's detached JWS
(``signatures.py``) and turns subscription payloads into the same snapshots and
normalized events as the hooks (``payloads.py``), with the same dedupe keys: a shop
running both intakes during a migration stores each fact once.
"""
