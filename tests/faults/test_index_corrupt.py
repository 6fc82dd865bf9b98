"""The search index is damaged on disk while the site serves: its segment files cut short, as a full
disk or a bad copy would leave them. Search says plainly it is unavailable, every other page works
(asking a question too), and ``update_index`` repairs it with nothing missing."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from community.search.storage import CURRENT, release_searchers, wait_for_pending_writes
from qa.models import Question
from tests.qa.conftest import ask

pytestmark = [pytest.mark.django_db, pytest.mark.whoosh]

UNAVAILABLE = "Search cannot look through questions just now"


def truncate_segments(family_dir: Path) -> int:
    """Cut every segment file of the live generation to half its length; how many were cut."""
    live = family_dir / (family_dir / CURRENT).read_text()
    cut = 0
    for path in live.iterdir():
        if path.is_file() and path.suffix not in {".toc"} and not path.name.endswith("WRITELOCK"):
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
            cut += 1
    return cut


def test_search_says_it_is_unavailable_and_the_rest_of_the_site_carries_on(alice, bob, client_for, figure):
    titles = [f"Printer on floor {floor} jams" for floor in range(1, 9)]
    for title in titles:
        ask(bob, title=title, body="Paper folds in the tray.", tags=["printing"])
    call_command("update_index", stdout=StringIO(), stderr=StringIO())  # every kind has its index
    client = client_for(alice)
    assert client.get("/search/", {"q": "printer"}).context["total"] == len(titles)  # searcher open and warm

    index_dir = Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])
    assert wait_for_pending_writes()
    cut = truncate_segments(index_dir / "qa_question")
    assert cut > 0

    # Search: a 200 that says so, no results pretending to be all there is.
    response = client.get("/search/", {"q": "printer"})
    assert response.status_code == 200
    page = response.content.decode()
    assert [search_type.key for search_type in response.context["unavailable"]] == ["questions"]
    assert UNAVAILABLE in page
    assert "its index is missing or damaged and has to be rebuilt" in page
    assert "Nothing anyone has written is lost" in page
    assert response.context["total"] == 0
    assert client.get(reverse("similar"), {"q": "printer jams", "type": "questions"}).status_code == 200

    # Every other page, and saving a question, works as before.
    question = Question.objects.get(title=titles[0])
    others = {
        "questions": client.get(reverse("qa:index")),
        "a question": client.get(question.get_absolute_url()),
        "ask": client.get(reverse("qa:ask")),
        "home": client.get("/"),
        "tag": client.get(reverse("tag", args=["printing"])),
    }
    assert {name: response.status_code for name, response in others.items()} == dict.fromkeys(others, 200)
    asked = client.post(
        reverse("qa:ask"),
        {"title": "Printer in the basement is out of toner", "body": "No toner.", "tags": "printing"},
    )
    assert asked.status_code == 302
    assert Question.objects.filter(title="Printer in the basement is out of toner").exists()

    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    release_searchers()
    repaired = client.get("/search/", {"q": "printer"})
    assert UNAVAILABLE not in repaired.content.decode()
    assert repaired.context["total"] == len(titles) + 1
    figure(
        "index-corrupt",
        f"{cut} segment files of the live questions index cut to half while serving: /search/ 200 with a plain "
        f"'unavailable' notice, {len(others)} other pages 200, 1 question asked meanwhile; update_index repaired: "
        f"{repaired.context['total']}/{len(titles) + 1} questions found",
    )
