"""Asking a question: title, Markdown body with preview, up to 5 tags (optional, suggested from the
words), similar questions with their state, rate limit."""

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
    assert b"target=" not in response.content  # opens in the same tab


@pytest.mark.parametrize("changes", [{"preview": "1"}, {"body": ""}])
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


def test_it_says_whether_similar_questions_were_answered_accepted_or_verified(alice_client, alice, bob, helen):
    from .conftest import answer

    solved = ask(bob, title="VPN will not connect from home")
    reply = answer(solved, alice)
    solved.accept(reply, bob)
    reply.verify(helen)
    ask(bob, title="VPN will not connect on the train")

    response = post(alice_client, title="my vpn will not connect", preview="1")

    similar = response.content.decode().split('id="similar-questions"')[1].split('id="id_body"')[0]
    assert "VPN will not connect from home</a> <span" in similar
    assert "(1 answer, Accepted, Verified by the helpdesk)" in similar
    assert "VPN will not connect on the train</a>" in similar
    assert ">(0 answers)</span>" in similar
    assert "_blank" not in similar


def test_it_posts_a_question_without_tags_for_the_helpdesk_to_tag(alice_client, helen, client_for):
    response = post(alice_client, tags="")

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.tag_names() == []
    queue = client_for(helen).get("/qa/helpdesk/").content.decode()
    assert question.title in queue
    assert "Needs tags" in queue


def test_it_suggests_existing_tags_from_the_words_without_javascript(alice_client, bob):
    ask(bob, tags=["vpn", "remote working", "excel"])

    response = post(alice_client, preview="1", tags="", title="VPN drops while remote working", body="Since Monday.")

    html = response.content.decode()
    box = html.split('id="tag-suggestions"')[1].split("</fieldset>")[0]
    assert 'name="suggested_tags" type="checkbox" value="vpn"' in box
    assert 'value="remote working"' in box
    assert 'value="excel"' not in box  # not named in the words
    assert 'value="monday"' not in box  # not in the vocabulary: never invented
    assert not Question.objects.filter(author__username="alice").exists()


def test_it_adds_the_ticked_suggestions_to_the_tags(alice_client, bob, alice):
    ask(bob, tags=["vpn", "remote working"])

    response = alice_client.post("/qa/ask/", {**GOOD, "tags": "expenses", "suggested_tags": ["vpn", "remote working"]})

    assert response.status_code == 302
    assert Question.objects.get(author=alice).tag_names() == ["expenses", "remote working", "vpn"]


def test_it_refuses_more_than_five_tags_counting_ticked_suggestions(alice_client):
    response = alice_client.post("/qa/ask/", {**GOOD, "tags": "a, b, c, d", "suggested_tags": ["vpn", "excel"]})

    assert response.status_code == 400
    assert "Use 5 tags or fewer." in response.content.decode()
    assert not Question.objects.exists()


def test_it_refuses_a_ticked_suggestion_that_is_not_a_tag_name(alice_client):
    response = alice_client.post("/qa/ask/", {**GOOD, "suggested_tags": ["<script>x</script>"]})

    assert response.status_code == 400
    assert "is not a valid tag" in response.content.decode()
    assert not Question.objects.exists()


def test_it_suggests_tags_as_you_type_keeping_ticks_and_leaving_out_typed_ones(alice_client, bob):
    ask(bob, tags=["vpn", "excel", "printing"])

    response = alice_client.get(
        "/qa/tags/suggestions/",
        {"title": "Excel and VPN", "body": "printers", "tags": "vpn", "suggested_tags": ["printing"]},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'value="printing" checked' in html  # ticked before: kept, and still ticked
    assert 'value="excel">' in html
    assert 'value="vpn"' not in html  # already typed


def test_tag_suggestions_cost_the_same_few_queries_however_big_the_vocabulary(
    alice_client, bob, django_assert_max_num_queries
):
    Tag.objects.bulk_create([Tag(name=f"topic {number}", slug=f"topic-{number}") for number in range(300)])
    ask(bob, tags=["vpn"])
    long_body = " ".join(f"word{number}" for number in range(400))

    with django_assert_max_num_queries(4):
        response = alice_client.get("/qa/tags/suggestions/", {"title": "VPN topic 7", "body": long_body})

    assert 'value="vpn"' in response.content.decode()
    assert 'value="topic 7"' in response.content.decode()
