"""gunicorn settings read by `make run` and the benchmark (`gunicorn -c gunicorn.conf.py wsgi:app`).

gunicorn has no setting to leave out its `Server: gunicorn` header: naming the server only helps
someone looking for a known flaw, so every response is sent without it.
"""
from gunicorn.http import wsgi


def _headers_without_server(send_default_headers):
    def default_headers(self):
        return [line for line in send_default_headers(self) if not line.lower().startswith("server:")]
    return default_headers


wsgi.Response.default_headers = _headers_without_server(wsgi.Response.default_headers)

