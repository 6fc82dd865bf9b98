"""The /search/ page: one query over people and pages, kinds kept as filters."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from wagtail.models import PageViewRestriction

from community.models import Directorate, HomePage, Profile, StandardPage
from community.search.storage import release_searchers, wait_for_pending_writes
from community.sitesearch.search import clean_query, highlight, parse_query
from tests.conftest import copy_search_index, named_user, rolled_back

pytestmark = [pytest.mark.django_db, pytest.mark.whoosh]


def add_page(title, summary="", tags=(), live=True):
    home = HomePage.objects.get()
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), summary=summary, live=live)
    home.add_child(instance=page)
    page.tags.add(*tags)
    page.save()
    return page


def update_profile(user, **fields):
    # Saved, not .update(): saving is what re-indexes the profile.
    profile = Profile.objects.get(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """alice, bob and charlie, and the content below, made and indexed once for the module (inside a
    transaction rolled back after it, ``tests.conftest.rolled_back``); returns the index folder each
    test that asks for ``content`` gets a copy of."""
    built = tmp_path_factory.mktemp("site-search") / "search"
    backends = {"default": {"BACKEND": "community.search.backend", "PATH": str(built)}}
    with django_db_blocker.unblock(), rolled_back(), override_settings(WAGTAILSEARCH_BACKENDS=backends):
        user_model = get_user_model()
        named_user(user_model, "alice")
        bob = named_user(user_model, "bob")
        named_user(user_model, "charlie")
        audit = Directorate.objects.create(name="Audit")
        update_profile(bob, job_title="Senior auditor", directorate=audit, bio="Ask me about excel")
        add_page("Working remotely", "What to do when the VPN will not connect", tags=["vpn"])
        add_page("VPN for contractors", "Remote access for people outside", tags=["vpn", "contractors"])
        add_page("Claiming expenses", "How to claim travel expenses", tags=["expenses"])
        add_page("Draft VPN policy", "Not yet published", live=False)
        private = add_page("Board VPN notes", "Restricted")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
        wait_for_pending_writes()
        release_searchers()
        yield built


# The module's alice, bob and charlie (read again for each test) in place of tests/conftest.py's.
@pytest.fixture
def alice(django_user_model, _built):
    return django_user_model.objects.get(username="alice")


@pytest.fixture
def bob(django_user_model, _built):
    return django_user_model.objects.get(username="bob")


@pytest.fixture
def charlie(django_user_model, _built):
    return django_user_model.objects.get(username="charlie")


@pytest.fixture
def content(_built, settings):
    """The module's pages and people in this test's own index (a copy; tests/conftest.py gives each
    ``whoosh`` test an index folder of its own). A test without it finds the rows in the database
    but an empty index."""
    copy_search_index(_built, settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])


def search(client, **params):
    return client.get("/search/", params)


def test_it_finds_pages_and_people_with_counts_per_type(alice_client, content):
    response = search(alice_client, q="vpn", type="pages")

    assert response.status_code == 200
    facets = {facet["key"]: facet["count"] for facet in response.context["facets"]}
    assert (facets["all"], facets["people"], facets["pages"]) == (2, 0, 2)
    titles = [hit["object"].title for hit in response.context["hits"]]
    assert sorted(titles) == ["VPN for contractors", "Working remotely"]


def test_it_never_shows_drafts_or_restricted_pages(alice_client, content):
    response = search(alice_client, q="vpn", type="pages")

    assert b"Draft VPN policy" not in response.content
    assert b"Board VPN notes" not in response.content


def test_it_finds_people_by_role_and_skills(alice_client, content):
    response = search(alice_client, q="excel auditor")

    assert response.context["active"] == "all"
    assert [hit["object"].display_name for hit in response.context["hits"]] == ["Bob Baker"]


def test_it_highlights_the_words_found(alice_client, content):
    response = search(alice_client, q="vpn", type="pages")

    assert b"the <mark>VPN</mark> will not connect" in response.content


def test_it_facets_by_tag_and_filters_to_one(alice_client, content):
    facets = search(alice_client, q="vpn", type="pages").context["tag_facets"]
    assert {facet["slug"]: facet["count"] for facet in facets} == {"vpn": 2, "contractors": 1}

    response = search(alice_client, q="vpn", type="pages", tag="contractors")

    assert [hit["object"].title for hit in response.context["hits"]] == ["VPN for contractors"]


def test_it_suggests_a_spelling_when_nothing_matches(alice_client, content):
    response = search(alice_client, q="travel expensez")

    assert response.context["loosened"] is True  # "travel" alone finds something meanwhile
    assert response.context["suggestion"] == "travel expenses"
    assert b"Did you mean" in response.content


def test_it_handles_an_empty_query_gracefully(alice_client, content):
    response = search(alice_client, q="   ")

    assert response.status_code == 200
    assert b"Browse by tag" in response.content


@pytest.mark.parametrize(
    "query",
    ['title: AND "unbalanced', "*", "?", "(((", "vpn OR", "NOT", "-vpn", "\x00\x1f vpn \x7f", "ВПН", "虚拟专用网络",
     "Gwasanaethau ŵ ŷ", "x" * 10_000, "vpn " * 2_500, "%_\\'", "<script>alert(1)</script>", "a", '"', "🔥📎",
     "vpn 🔥", "شبكة افتراضية", "vpn AND NOT (title:x OR y~2)", "+vpn -remote ^2"],
)  # fmt: skip
def test_it_never_fails_on_odd_queries(alice_client, content, query):
    response = search(alice_client, q=query)

    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_it_finds_an_exact_phrase(alice_client, content):
    hits = search(alice_client, q='"travel expenses"', type="pages").context["hits"]
    assert [hit["object"].title for hit in hits] == ["Claiming expenses"]

    assert search(alice_client, q='"expenses travel"', type="pages").context["total"] == 0


def test_it_paginates_results(alice_client, django_user_model):
    for number in range(13):
        user = django_user_model.objects.create_user(username=f"auditor{number}")
        update_profile(user, job_title="Auditor")

    first = search(alice_client, q="auditor")
    second = search(alice_client, q="auditor", page=2)

    assert len(first.context["hits"]) == 10
    assert len(second.context["hits"]) == 3
    assert first.context["page"].paginator.count == 13


def test_it_cleans_queries():
    assert clean_query("  vpn\x00\n  not\tconnecting  ") == "vpn not connecting"
    assert len(clean_query("x" * 10_000)) == 200
    assert parse_query("*") is None


def test_it_escapes_text_around_highlights():
    assert highlight("<b>VPN</b> help", "vpn") == "&lt;b&gt;<mark>VPN</mark>&lt;/b&gt; help"


def test_it_suggests_similar_content_while_a_title_is_typed(alice_client, content):
    response = alice_client.get("/search/similar/", {"type": "pages", "q": "my vpn keeps dropping"},
                                HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Working remotely" in response.content
    assert b"Draft VPN policy" not in response.content


def test_it_suggests_nothing_for_an_empty_title(alice_client, content):
    response = alice_client.get("/search/similar/", {"type": "pages", "q": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content.strip() == b""


def test_it_refuses_an_unknown_kind_of_content(alice_client):
    assert alice_client.get("/search/similar/", {"type": "nonsense", "q": "vpn"}).status_code == 404


def test_it_suggests_similar_people_too(alice_client, content):
    response = alice_client.get("/search/similar/", {"type": "people", "q": "auditor"})

    assert response.status_code == 200
    assert b'href="/people/bob/"' in response.content


def test_it_says_so_when_the_index_is_missing_and_recovers_after_update_index(alice_client, content, settings):
    import shutil
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from community.search.storage import release_searchers, wait_for_pending_writes

    wait_for_pending_writes()
    release_searchers()
    shutil.rmtree(Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"]))

    broken = search(alice_client, q="vpn")

    assert broken.status_code == 200
    assert b"its index is missing or damaged" in broken.content

    call_command("update_index", stdout=StringIO())
    mended = search(alice_client, q="vpn", type="pages")

    assert b"its index is missing or damaged" not in mended.content
    assert mended.context["total"] == 2


def test_an_unclosed_quote_still_searches_its_words(alice_client, content):
    hits = search(alice_client, q='"travel expenses', type="pages").context["hits"]

    assert [hit["object"].title for hit in hits] == ["Claiming expenses"]


def test_when_nothing_has_every_word_it_shows_what_has_some(alice_client, content):
    response = search(alice_client, q="expenses contractors", type="pages")

    assert response.context["loosened"] is True
    assert sorted(hit["object"].title for hit in response.context["hits"]) == [
        "Claiming expenses",
        "VPN for contractors",
    ]
    assert "Nothing has all the words of “expenses contractors”" in response.content.decode()


def test_one_word_or_one_phrase_is_never_loosened(alice_client, content):
    assert search(alice_client, q='"expenses travel"', type="pages").context["total"] == 0
    assert search(alice_client, q="nothingatall", type="pages").context["loosened"] is False


def test_it_never_suggests_what_finds_nothing(alice_client, content):
    # Both words are known, but no page has both.
    assert search(alice_client, q="expenses vpnn").context["suggestion"] is None


def test_it_never_suggests_a_word_only_drafts_or_restricted_pages_contain(alice_client, content):
    # "published" is only in the draft's summary, "restricted" only on the private page.
    for query in ("publishd", "restrictd"):
        response = search(alice_client, q=query)
        assert response.context["total"] == 0
        assert response.context["suggestion"] is None, query
        assert b"Did you mean" not in response.content


def test_snippets_show_ampersands_and_angle_brackets_as_written(alice_client, content, bob):
    update_profile(bob, bio="Q&A lead for R&D, <b> & all")

    html = search(alice_client, q="auditor").content.decode()

    assert "Q&amp;A lead for R&amp;D, &lt;b&gt; &amp; all" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


def test_it_says_how_many_results_in_words_that_agree(alice_client, content):
    html = search(alice_client, q="auditor").content.decode()

    assert "1 result for “auditor”" in html
    assert "1 results" not in html
