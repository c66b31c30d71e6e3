"""The yardstick of `a11y.bench_pages`: a bare Flask "hello", served by gunicorn like Guichet."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
