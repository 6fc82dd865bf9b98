"""A real HTTP server on 127.0.0.1 for the fetcher to talk to (no mocks of feedparser or of the
network), and feeds to serve from it. Each test sets what each path answers."""

import http.server
import sys
import threading
import time

import pytest

from community.listeningpost.models import ListeningSource


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The fetcher hanging up part-way (a feed over the size limit, a timeout) is what those
        # tests are about, not a fault of the server's; anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []  # (path, headers) as received

        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.requests.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"Not found"
                else:
                    status, headers, body = route(self) if callable(route) else route
                if status is None:  # the route wrote its own answer
                    return
                self.send_response(status)
                headers = dict(headers)
                if isinstance(body, str):
                    body = body.encode("utf-8")
                headers.setdefault("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # serve_forever checks for shutdown() between polls: its default half-second poll made
        # every test that used the server wait up to half a second in its teardown.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    feed_server = FeedServer()
    yield feed_server
    feed_server.stop()


@pytest.fixture
def local_feeds_allowed(settings):
    """The test server is on 127.0.0.1: these tests allow private addresses, with short limits."""
    settings.LISTENING_POST = {
        "ALLOW_PRIVATE_ADDRESSES": True, "CONNECT_TIMEOUT": 2, "READ_TIMEOUT": 1, "TOTAL_TIMEOUT": 3,
        "MAX_BYTES": 200_000,
    }  # fmt: skip
    return settings.LISTENING_POST


def rss(*items, title="Test news"):
    body = "".join(
        f"<item><title>{item['title']}</title>"
        + (f"<link>{item['link']}</link>" if item.get("link") else "")
        + (f"<guid>{item['guid']}</guid>" if item.get("guid") else "")
        + f"<pubDate>{item.get('date', 'Wed, 26 Nov 2025 13:40:00 +0000')}</pubDate>"
        + f"<description>{item.get('description', '')}</description></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://news.example.org/</link><description>d</description>{body}"
        "</channel></rss>"
    )


XML = {"Content-Type": "application/rss+xml; charset=utf-8"}


def make_source(url, name="Test news", **fields):
    return ListeningSource.objects.create(name=name, url=url, **fields)


def slow(seconds, body=b""):
    def route(handler):
        time.sleep(seconds)
        return 200, XML, body

    return route
