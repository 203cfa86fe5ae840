"""Campaign and step figures: sends, opens, clicks, unsubscribes, conversions, revenue."""
