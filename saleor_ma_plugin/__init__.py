"""Marketing automation for Saleor."""

__version__ = "0.1.0"
