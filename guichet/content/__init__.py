"""Fiches and life events: read from site/content, validated, rendered, stored in the database."""
