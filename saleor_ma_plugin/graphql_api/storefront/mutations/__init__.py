"""Storefront mutations, one per module."""
