"""Channels build and send payloads; the send loop in ``messaging.delivery`` is shared."""
