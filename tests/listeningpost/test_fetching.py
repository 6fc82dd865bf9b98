"""Fetching real feeds over HTTP from a local server: conditional GET, redirects, timeouts, size
limits, bad and malformed feeds, de-duplication, and the refusal of private addresses."""

import pytest

from community.listeningpost.fetching import fetch_all, fetch_source
from community.listeningpost.models import ListeningItem, ListeningSource

from .conftest import XML, make_source, rss, slow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_feeds_allowed")]

TWO = rss(
    {"title": "Budget reaction", "link": "https://news.example.org/1", "guid": "n-1", "description": "First"},
    {"title": "Rates relief", "link": "https://news.example.org/2", "guid": "n-2", "description": "Second"},
)


def refreshed(source):
    return ListeningSource.objects.get(pk=source.pk)


def test_a_feed_is_fetched_and_its_items_kept(server):
    server.routes["/feed.xml"] = (200, XML, TWO)
    source = make_source(server.url("/feed.xml"))

    new = fetch_source(source)

    assert sorted(item.title for item in new) == ["Budget reaction", "Rates relief"]
    source = refreshed(source)
    assert source.last_error == "" and source.last_status == "2 new items of 2"
    assert ListeningItem.objects.get(guid="n-1").link == "https://news.example.org/1"


def test_an_atom_feed_is_read_too(server):
    server.routes["/atom"] = (200, {"Content-Type": "application/atom+xml"}, (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        "<id>tag:b,2025:1</id><updated>2025-11-27T10:00:00Z</updated><entry><title>Guidance visits</title>"
        '<id>tag:b,2025:e1</id><link href="https://blog.example.org/e1"/><updated>2025-11-27T10:00:00Z</updated>'
        '<content type="html">&lt;p&gt;Plain English helped.&lt;/p&gt;</content></entry></feed>'
    ))  # fmt: skip

    [item] = fetch_source(make_source(server.url("/atom")))

    assert (item.title, item.guid, item.summary_text) == ("Guidance visits", "tag:b,2025:e1", "Plain English helped.")


def test_the_content_is_sanitised_scripts_and_tracking_pixels_gone(server):
    description = (
        "&lt;p onclick=&quot;steal()&quot;&gt;Hello&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;img src=&quot;https://tracker.example.com/p.gif&quot; width=&quot;1&quot;&gt;"
        "&lt;a href=&quot;javascript:alert(2)&quot;&gt;link&lt;/a&gt;&lt;/p&gt;"
    )
    server.routes["/feed"] = (200, XML, rss({"title": "Pixel", "guid": "p", "description": description}))

    [item] = fetch_source(make_source(server.url("/feed")))

    html = item.summary_html
    assert "Hello" in html
    for bad in ("<script", "alert(1)", "onclick", "tracker.example.com", "<img", "javascript:"):
        assert bad not in html


def test_a_conditional_get_keeps_what_we_have_on_304(server):
    def route(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**XML, "ETag": '"v1"', "Last-Modified": "Wed, 26 Nov 2025 14:00:00 GMT"}, TWO

    server.routes["/feed"] = route
    source = make_source(server.url("/feed"))
    fetch_source(source)

    again = fetch_source(refreshed(source))

    assert again == []
    (_, first), (_, second) = server.requests
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Wed, 26 Nov 2025 14:00:00 GMT"
    assert ListeningItem.objects.count() == 2
    assert refreshed(source).last_status == "Not changed since the last fetch"


def test_items_are_kept_once_by_guid_or_by_link(server):
    server.routes["/feed"] = (200, XML, TWO)
    source = make_source(server.url("/feed"))
    fetch_source(source)
    # The same items again, one now without its GUID (so known by its link), plus a new one that
    # appears twice in the feed.
    server.routes["/feed"] = (200, XML, rss(
        {"title": "Budget reaction", "link": "https://news.example.org/1", "guid": "n-1"},
        {"title": "Rates relief (updated)", "link": "https://news.example.org/2"},
        {"title": "New one", "guid": "n-3"},
        {"title": "New one", "guid": "n-3"},
    ))  # fmt: skip

    new = fetch_source(refreshed(source))

    assert [item.title for item in new] == ["New one"]
    assert ListeningItem.objects.count() == 3


def test_a_redirect_is_followed(server):
    server.routes["/old"] = (301, {"Location": "/new"}, b"")
    server.routes["/new"] = (200, XML, TWO)

    assert len(fetch_source(make_source(server.url("/old")))) == 2


def test_each_redirect_is_checked_again(server):
    server.routes["/feed"] = (302, {"Location": "file:///etc/passwd"}, b"")
    source = make_source(server.url("/feed"))

    assert fetch_source(source) == []

    assert refreshed(source).last_error == "Only http and https feed addresses can be fetched."


def test_a_redirect_loop_stops(server):
    server.routes["/a"] = (302, {"Location": "/b"}, b"")
    server.routes["/b"] = (302, {"Location": "/a"}, b"")
    source = make_source(server.url("/a"))

    fetch_source(source)

    assert refreshed(source).last_error == "The feed redirected too many times."
    assert len(server.requests) == 6  # the first ask and five redirects, no more


def test_a_slow_feed_times_out_and_the_next_source_is_still_fetched(server):
    server.routes["/slow"] = slow(2, TWO.encode())
    server.routes["/fine"] = (200, XML, TWO)
    slow_source = make_source(server.url("/slow"), name="Slow")
    make_source(server.url("/fine"), name="Fine")

    stats = fetch_all()

    assert stats == {"sources": 2, "failed": 1, "new_items": 2}
    assert refreshed(slow_source).last_error == "The feed took too long to answer."


def test_an_oversize_feed_is_refused_whether_or_not_it_says_its_size(server, local_feeds_allowed):
    local_feeds_allowed["MAX_BYTES"] = 5_000
    big = rss(*({"title": f"Item {n}", "guid": f"g{n}", "description": "x" * 200} for n in range(100)))
    server.routes["/declared"] = (200, XML, big)

    def undeclared(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(big.encode())
        return None, None, None

    server.routes["/undeclared"] = undeclared
    declared, streamed = (
        make_source(server.url("/declared"), name="A"),
        make_source(server.url("/undeclared"), name="B"),
    )

    fetch_source(declared)
    fetch_source(streamed)

    assert refreshed(declared).last_error == "The feed is larger than the 4 KB limit."
    assert refreshed(streamed).last_error == "The feed is larger than the 4 KB limit."
    assert ListeningItem.objects.count() == 0


@pytest.mark.parametrize(
    "content_type, body, error",
    [
        ("text/html", "<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
         "The address did not return an RSS or Atom feed"),
        ("application/json", '{"items": []}', "The address did not return an RSS or Atom feed"),
        ("application/xml", "<rss><channel><title>x</title><item><title>Half", "The feed's XML is broken"),
        ("application/xml", "", "The address did not return"),
    ],
    ids=["html page", "json", "broken xml", "empty"],
)  # fmt: skip
def test_something_that_is_not_a_feed_is_recorded_as_such(server, content_type, body, error):
    server.routes["/feed"] = (200, {"Content-Type": content_type}, body)
    source = make_source(server.url("/feed"))

    assert fetch_source(source) == []

    assert refreshed(source).last_error.startswith(error)


def test_a_feed_in_the_wrong_encoding_and_with_html_entities_is_still_read(server):
    # Declared UTF-8 but written in Latin-1, with an HTML entity XML does not define.
    body = rss({"title": "Caf\xe9 culture &amp; the budget", "guid": "e1", "description": "Price&nbsp;rises"})
    server.routes["/feed"] = (200, XML, body.encode("latin-1"))
    source = make_source(server.url("/feed"))

    [item] = fetch_source(source)

    assert item.title == "Café culture & the budget"
    assert "Price" in item.summary_text and "rises" in item.summary_text


def test_an_error_answer_is_recorded(server):
    source = make_source(server.url("/missing"))

    fetch_source(source)

    source = refreshed(source)
    assert source.last_error == "The feed's server answered 404 Not Found"
    assert source.last_error_at is not None


def test_a_later_success_clears_the_error(server):
    source = make_source(server.url("/feed"))
    fetch_source(source)
    server.routes["/feed"] = (200, XML, TWO)

    fetch_source(refreshed(source))

    assert refreshed(source).last_error == ""


def test_a_private_address_is_refused_unless_settings_allow_it(server, local_feeds_allowed):
    local_feeds_allowed["ALLOW_PRIVATE_ADDRESSES"] = False
    server.routes["/feed"] = (200, XML, TWO)
    source = make_source(server.url("/feed"))

    assert fetch_source(source) == []

    assert refreshed(source).last_error.startswith("The host 127.0.0.1 is on a private or local network address")
    assert server.requests == []  # never asked


@pytest.mark.parametrize("host", ["localhost", "10.0.0.8", "169.254.169.254", "[::1]", "224.0.0.1", "192.168.1.1"])
def test_local_and_private_hosts_are_refused(local_feeds_allowed, host):
    local_feeds_allowed["ALLOW_PRIVATE_ADDRESSES"] = False
    source = make_source(f"http://{host}/feed.xml")

    fetch_source(source)

    assert "private or local network address" in refreshed(source).last_error


def test_the_address_actually_reached_is_checked_too(server, local_feeds_allowed, monkeypatch):
    # A DNS server that answers "public" when the name is checked and "private" when it is
    # resolved again to connect (DNS rebinding) is stopped at the connection, before any request.
    local_feeds_allowed["ALLOW_PRIVATE_ADDRESSES"] = False
    monkeypatch.setattr("community.listeningpost.fetching.check_address", lambda url, unresolved_ok=False: None)
    server.routes["/feed"] = (200, XML, TWO)
    source = make_source(server.url("/feed"))

    assert fetch_source(source) == []

    assert refreshed(source).last_error.startswith("The host 127.0.0.1 is on a private or local network address")
    assert server.requests == []
