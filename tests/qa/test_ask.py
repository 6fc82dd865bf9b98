"""Asking a question: title, Markdown body with preview, 1–5 tags, similar questions, rate limit."""

import pytest
from taggit.models import Tag

from qa.models import Question, Revision

from .conftest import ask

pytestmark = pytest.mark.django_db

GOOD = {"title": "How do I claim travel expenses?", "body": "I went by **train**.", "tags": "expenses, travel"}


def post(client, **changes):
    return client.post("/qa/ask/", {**GOOD, **changes})


def test_it_shows_the_ask_form_with_live_similar_questions(alice_client):
    response = alice_client.get("/qa/ask/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-get="/search/similar/?type=questions"' in html
    assert 'hx-trigger="keyup changed delay:300ms"' in html
    assert 'hx-target="#similar-questions"' in html
    assert 'id="similar-questions"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_title">Title</label>' in html


def test_it_posts_a_question_with_rendered_markdown_and_tags(alice_client, alice):
    response = post(alice_client)

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.author == alice
    assert question.body_html == "<p>I went by <strong>train</strong>.</p>\n"
    assert question.tag_names() == ["expenses", "travel"]
    assert Revision.objects.filter(question=question, editor=alice).count() == 1
    page = alice_client.get(response["Location"])
    assert b"Your question has been posted." in page.content


def test_it_keeps_script_out_of_the_stored_html(alice_client):
    post(alice_client, body="Hello <script>alert(1)</script> [x](javascript:alert(1))")

    html = Question.objects.get().body_html
    assert "<script" not in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for your question"),
        ({"title": "   "}, "Enter a title for your question"),
        ({"title": "x" * 151}, "Title must be 150 characters or fewer"),
        ({"body": ""}, "Enter the details of your question"),
        ({"body": "x" * 30_001}, "Details must be 30,000 characters or fewer"),
        ({"tags": ""}, "Add at least one tag"),
        ({"tags": "a, b, c, d, e, f"}, "Use 5 tags or fewer."),
        ({"tags": "<b>vpn</b>"}, "is not a valid tag"),
        ({"tags": 'vpn" onmouseover="x'}, "is not a valid tag"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(alice_client, changes, message):
    response = post(alice_client, **changes)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not Question.objects.exists()
    assert not Tag.objects.filter(name__contains="<").exists()


def test_it_accepts_the_longest_allowed_title_and_body(alice_client):
    post(alice_client, title="x" * 150, body="y" * 30_000, tags="a, b, c, d, e")

    question = Question.objects.get()
    assert len(question.title) == 150
    assert len(question.tag_names()) == 5


def test_it_previews_the_body_without_posting(alice_client):
    response = post(alice_client, preview="1", body="A **bold** claim <script>x</script>")

    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()
    assert "<script>x" not in response.content.decode()
    assert not Question.objects.exists()


def test_it_previews_the_body_as_an_htmx_partial(alice_client):
    response = alice_client.post("/qa/preview/", {"body": "*quick* look"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"<em>quick</em>" in response.content


def test_it_suggests_existing_tags_as_you_type(alice_client, alice):
    ask(alice, tags=["excel", "expenses", "vpn"])

    response = alice_client.get("/qa/tags/suggest/", {"tags": "vpn, ex"})

    assert response.status_code == 200
    assert b'<datalist id="qa-tag-options">' in response.content
    assert b'<option value="vpn, excel">' in response.content
    assert b'<option value="vpn, expenses">' in response.content
    assert b'value="vpn, vpn"' not in response.content


def test_it_lists_existing_tags_on_the_form(alice_client, alice):
    ask(alice, tags=["excel"])

    response = alice_client.get("/qa/ask/")

    assert b'list="qa-tag-options"' in response.content
    assert b'<option value="excel">' in response.content


def test_it_shows_similar_questions_while_the_title_is_typed(alice_client, alice, bob, mo):
    ask(bob, title="VPN will not connect from home")
    hidden = ask(bob, title="VPN hidden question")
    hidden.hide(mo)

    response = alice_client.get(
        "/search/similar/", {"type": "questions", "title": "my vpn will not connect"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"VPN will not connect from home" in response.content
    assert b"VPN hidden question" not in response.content
    assert b"(opens in new tab)</span></a>" in response.content


@pytest.mark.parametrize("changes", [{"preview": "1"}, {"tags": ""}])
def test_it_shows_similar_questions_without_javascript_when_the_form_comes_back(alice_client, bob, mo, changes):
    ask(bob, title="VPN will not connect from home")
    ask(bob, title="VPN hidden question").hide(mo)

    response = post(alice_client, title="my vpn will not connect", **changes)

    html = response.content.decode()
    similar = html.split('id="similar-questions"')[1].split('id="id_body"')[0]
    assert "Already asked? These look similar" in similar
    assert "VPN will not connect from home" in similar
    assert "VPN hidden question" not in similar
    assert not Question.objects.filter(title="my vpn will not connect").exists()
