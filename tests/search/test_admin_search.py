"""Searches as the Wagtail admin makes them: quoted words become phrases, which the admin's page
search sends through autocomplete; no query anyone can type may break it."""

import pytest
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Not, Phrase, PlainText

from community.models import Profile, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["default", "database"], ids=["whoosh", "database"])
def backend(request, intranet):
    return get_search_backend(request.param)


def test_autocomplete_takes_quoted_words_as_words_that_must_all_match(backend):
    assert {p.display_name for p in backend.autocomplete(Phrase("bob baker"), Profile)} == {"Bob Baker"}
    found = backend.autocomplete(And([Phrase("printer"), PlainText("trouble")]), StandardPage)
    assert {page.title for page in found} == {"Printer troubleshooting"}


def test_autocomplete_understands_not(whoosh, intranet):
    found = {p.display_name for p in whoosh.autocomplete(And([PlainText("ev"), Not(PlainText("eve"))]), Profile)}
    assert found == {"Ann Evans"}


@pytest.mark.parametrize("query", ['"vpn will', '"printer troubleshooting"', 'a"b', '"*"', '"" vpn', "vpn -travel"])
def test_the_admin_page_search_takes_any_query(client_for, dita, intranet, query):
    client = client_for(dita)
    for path in ("/admin/pages/search/", "/admin/pages/search/results/"):
        response = client.get(path, {"q": query})
        assert response.status_code == 200, (path, query)


def test_the_admin_page_search_finds_a_quoted_title(client_for, dita, intranet):
    response = client_for(dita).get("/admin/pages/search/results/", {"q": '"printer troubleshooting"'})
    assert "Printer troubleshooting" in response.content.decode()
