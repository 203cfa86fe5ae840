"""The Saleor adapter: the only code that imports ``saleor``."""
