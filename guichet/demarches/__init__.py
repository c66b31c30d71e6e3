"""Démarches: online forms defined as data in site/forms/*.yaml, walked by one engine."""
