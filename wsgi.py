"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""
from guichet import create_app

app = create_app()
