"""A scripted month of shop activity on the standalone host, for a first look at the product."""
