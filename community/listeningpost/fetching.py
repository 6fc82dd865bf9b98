"""Fetching sources: safely over HTTP, then feedparser, then each new item kept once.

Every address, and every redirect's next address, is checked before it is asked: http or https
only, and its host must resolve to public addresses only (no loopback, link-local, private,
reserved or multicast address, unless ``LISTENING_POST["ALLOW_PRIVATE_ADDRESSES"]``), so a source
cannot make Confer reach inside its own network. The answer is read in chunks and abandoned past
``MAX_BYTES`` or ``TOTAL_TIMEOUT`` seconds; a 304 keeps what we have. A failure is written on the
source in words an editor can act on, and the run goes on with the next source.
"""

import calendar
import datetime
import hashlib
import ipaddress
import logging
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from modelsearch import index
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..markdown import plain_text, sanitise_html
from .models import ListeningItem, ListeningSource

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ALLOW_PRIVATE_ADDRESSES": False,
    "CONNECT_TIMEOUT": 5,
    "READ_TIMEOUT": 10,
    "TOTAL_TIMEOUT": 30,  # seconds for the whole answer, however slowly it trickles in
    "MAX_BYTES": 5 * 1024 * 1024,
    "MAX_REDIRECTS": 5,
    "MAX_ITEMS_PER_FETCH": 200,
    "RETENTION_DAYS": 90,
    "USER_AGENT": "Confer listening post (+intranet)",
}


def config(name: str):
    return {**DEFAULTS, **getattr(settings, "LISTENING_POST", {})}[name]


ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


class FetchError(Exception):
    """A fetch that failed, said so an editor knows what to do."""


def check_address(url: str, unresolved_ok: bool = False) -> None:
    """Raise FetchError unless ``url`` is http(s) and its host resolves to public addresses only.
    ``unresolved_ok``: a host that cannot be found now passes (a form: the fetch will say so)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("Only http and https feed addresses can be fetched.")
    host = parts.hostname
    if not host:
        raise FetchError("The feed address has no host name.")
    if config("ALLOW_PRIVATE_ADDRESSES"):
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        if unresolved_ok:
            return
        raise FetchError(f"The host {host} could not be found.") from None
    for info in infos:
        _refuse_unless_public(host, ipaddress.ip_address(info[4][0].split("%", 1)[0]))


def _refuse_unless_public(host: str, address) -> None:
    if not address.is_global or address.is_multicast:
        raise FetchError(
            f"The host {host} is on a private or local network address ({address}); "
            "Confer only fetches feeds from the public internet."
        )


class _PeerRefused(Exception):
    """The connection reached a private address after all (a DNS answer that changed)."""


class _CheckedPeer:
    """A connection that checks the address it actually reached, after connecting and before
    sending anything: the name was checked when resolved, but it is resolved again to connect, and a
    DNS server may answer differently the second time (DNS rebinding)."""

    def _new_conn(self):
        sock = super()._new_conn()
        if not config("ALLOW_PRIVATE_ADDRESSES"):
            try:
                _refuse_unless_public(self.host, ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0]))
            except FetchError as refusal:
                sock.close()
                raise _PeerRefused(str(refusal)) from None
        return sock


class _CheckedHTTPConnection(_CheckedPeer, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedPeer, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


@dataclass
class Fetched:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    url: str = ""


def fetch_url(url: str, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` with the checks above, following redirects by hand so each hop is checked."""
    headers = {"User-Agent": config("USER_AGENT"), "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit, deadline = config("MAX_BYTES"), time.monotonic() + config("TOTAL_TIMEOUT")
    timeout = (config("CONNECT_TIMEOUT"), config("READ_TIMEOUT"))
    with requests.Session() as session:
        session.trust_env = False  # no proxy settings from the environment reach around the checks
        session.mount("http://", _CheckedAdapter(max_retries=0))
        session.mount("https://", _CheckedAdapter(max_retries=0))
        for _hop in range(config("MAX_REDIRECTS") + 1):
            check_address(url)
            try:
                response = session.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
            except _PeerRefused as refusal:
                raise FetchError(str(refusal)) from None
            except requests.Timeout:
                raise FetchError("The feed took too long to answer.") from None
            except requests.RequestException as error:
                raise FetchError(f"The feed could not be reached ({type(error).__name__}).") from None
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise FetchError("The feed redirected without saying where to.")
                    url = urljoin(url, location)
                    continue
                if response.status_code == 304:
                    return Fetched(304, url=url)
                if response.status_code != 200:
                    raise FetchError(
                        f"The feed's server answered {response.status_code} {response.reason or ''}".strip()
                    )
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"The feed is larger than the {limit // 1024:,} KB limit.")
                body = bytearray()
                try:
                    for chunk in response.iter_content(64 * 1024):
                        body += chunk
                        if len(body) > limit:
                            raise FetchError(f"The feed is larger than the {limit // 1024:,} KB limit.")
                        if time.monotonic() > deadline:
                            raise FetchError("The feed took too long to answer.")
                except requests.RequestException as error:
                    if isinstance(error, requests.ConnectionError) and "timed out" in str(error).lower():
                        raise FetchError("The feed took too long to answer.") from None
                    raise FetchError(f"The feed stopped part way ({type(error).__name__}).") from None
                return Fetched(200, bytes(body), dict(response.headers), url)
        raise FetchError("The feed redirected too many times.")


def _when(entry) -> datetime.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _content(entry) -> str:
    for content in entry.get("content") or ():
        if content.get("value"):
            return content["value"]
    return entry.get("summary", "") or ""


def parse_items(body: bytes, headers: dict, base_url: str) -> list[dict]:
    """The entries of a feed as item fields (sanitised), or FetchError if it is not a feed."""
    parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()}, sanitize_html=True,
                              resolve_relative_uris=True)  # fmt: skip
    if not parsed.entries:
        if not parsed.get("version"):
            raise FetchError("The address did not return an RSS or Atom feed.")
        if parsed.get("bozo"):
            raise FetchError("The feed's XML is broken: nothing could be read from it.")
        return []
    now = timezone.now()
    items = []
    for entry in parsed.entries[: config("MAX_ITEMS_PER_FETCH")]:
        link = entry.get("link", "") or ""
        if urlsplit(link).scheme not in ("http", "https"):
            link = ""
        title = " ".join(plain_text(entry.get("title", "") or "").split())
        summary_html = str(sanitise_html(_content(entry)))
        summary_text = " ".join(plain_text(summary_html).split())
        guid = (entry.get("id") or link or "").strip()
        if not guid:  # neither: what it says is what it is
            guid = "sha1:" + hashlib.sha1(f"{title}\n{summary_text}".encode()).hexdigest()
        if not (title or summary_text):
            continue
        published = _when(entry)
        items.append({
            "guid": guid[:500],
            "link": link[:1000],
            "title": (title or summary_text[:120] or "(untitled)")[:300],
            "summary_html": summary_html,
            "summary_text": summary_text,
            "author": " ".join(plain_text(entry.get("author", "") or "").split())[:200],
            "published_at": min(published, now) if published else now,
        })  # fmt: skip
    if not items and parsed.get("bozo"):
        raise FetchError("The feed's XML is broken: nothing could be read from it.")
    return items


def save_items(source: ListeningSource, items: list[dict]) -> list[ListeningItem]:
    """Keep each item once: the unique constraints decide, so two fetches at once keep one row."""
    new = []
    guids = {item["guid"] for item in items}
    links = {item["link"] for item in items if item["link"]}
    seen = set(ListeningItem.objects.filter(source=source, guid__in=guids).values_list("guid", flat=True))
    seen_links = set(ListeningItem.objects.filter(source=source, link__in=links).values_list("link", flat=True))
    for fields in items:
        if fields["guid"] in seen or (fields["link"] and fields["link"] in seen_links):
            continue
        try:
            with transaction.atomic():
                item = ListeningItem.objects.create(source=source, **fields)
        except IntegrityError:  # kept by another fetch meanwhile, or twice in this feed
            continue
        seen.add(fields["guid"])
        seen_links.add(fields["link"])
        new.append(item)
    return new


def fetch_source(source: ListeningSource) -> list[ListeningItem]:
    """Fetch one source; the new items (already matched against watches). Raises nothing: a
    failure is recorded on the source."""
    from .watching import match_new_items

    now = timezone.now()
    try:
        fetched = fetch_url(source.url, source.etag, source.last_modified)
        if fetched.status == 304:
            ListeningSource.objects.filter(pk=source.pk).update(
                last_fetched_at=now, last_status="Not changed since the last fetch", last_error=""
            )
            return []
        items = parse_items(fetched.body, fetched.headers, fetched.url)
    except FetchError as error:
        ListeningSource.objects.filter(pk=source.pk).update(
            last_fetched_at=now, last_error=str(error)[:500], last_error_at=now, last_status="Failed"
        )
        source.last_error = str(error)[:500]
        return []
    new = save_items(source, items)
    headers = {k.lower(): v for k, v in fetched.headers.items()}
    ListeningSource.objects.filter(pk=source.pk).update(
        last_fetched_at=now, last_error="", etag=headers.get("etag", "")[:500],
        last_modified=headers.get("last-modified", "")[:100],
        last_status=f"{len(new)} new item{'' if len(new) == 1 else 's'} of {len(items)}",
    )  # fmt: skip
    source.last_error = ""
    for item in new:
        try:
            index.insert_or_update_object(item)
        except Exception:  # the index is a rebuildable cache: a failure here must not lose the item
            logger.warning("Could not index listening item %s", item.pk, exc_info=True)
    match_new_items(new)
    return new


def fetch_all() -> dict:
    """Fetch every active source in turn; one failing never stops the others."""
    stats = {"sources": 0, "failed": 0, "new_items": 0}
    for source in ListeningSource.objects.filter(active=True).order_by("pk").iterator():
        stats["sources"] += 1
        try:
            new = fetch_source(source)
        except Exception as error:  # a bug or a database hiccup on one source: record it, go on
            logger.exception("Fetching listening source %s failed", source.pk)
            ListeningSource.objects.filter(pk=source.pk).update(
                last_error=f"Unexpected failure ({type(error).__name__})", last_error_at=timezone.now()
            )
            stats["failed"] += 1
            continue
        stats["failed"] += bool(source.last_error)
        stats["new_items"] += len(new)
    return stats


def purge_old_items(now=None) -> int:
    """Delete items older than the retention period that nobody shared, discussed or used."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=config("RETENTION_DAYS"))
    old = ListeningItem.objects.filter(kept=False, fetched_at__lt=cutoff).order_by("fetched_at")
    deleted = 0
    while True:
        ids = list(old.values_list("pk", flat=True)[:500])
        if not ids:
            return deleted
        for item in ListeningItem.objects.filter(pk__in=ids):
            try:
                index.remove_object(item)
            except Exception:
                logger.warning("Could not remove listening item %s from the index", item.pk, exc_info=True)
        deleted += ListeningItem.objects.filter(pk__in=ids, kept=False).delete()[1].get("community.ListeningItem", 0)
