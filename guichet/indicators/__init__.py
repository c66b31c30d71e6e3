"""Indicators: what people say after a démarche, and where they struggle (read by the town and the public)."""
