"""Campaign reports: figures, per-step figures and series over time."""
