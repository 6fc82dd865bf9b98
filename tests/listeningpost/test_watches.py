"""Watch expressions: what they match in a fixed set of items, what they say when they cannot be
read, and the words highlighted (escaped) on the Listening page."""

import pytest
from django.core.exceptions import ValidationError
from taggit.models import Tag

from community.listeningpost.models import ListeningItem, ListeningSource, Watch, WatchMatch
from community.listeningpost.watching import highlight, match_recent, matches, parse

ITEMS = {
    "statement": ("Autumn Statement: transport budgets flat", "Councils want more detail on capital."),
    "sport": ("Budget for sport facilities cut", "Leisure centres close early."),
    "review": ("Spending review timetable", "Departments asked for plans by February."),
    "inclusion": ("Digital inclusion in libraries", "A buddy beats a course for first steps online."),
    "taxes": ("Taxation changes explained", "What the new thresholds mean."),
}


def item(key):
    title, text = ITEMS[key]
    return ListeningItem(title=title, summary_text=text)


def found(expression):
    tree = parse(expression)
    return sorted(key for key in ITEMS if matches(tree, item(key)))


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("budget", ["sport"]),  # whole words only: "budgets" is another word
        ("budget*", ["sport", "statement"]),
        ('"autumn statement"', ["statement"]),
        ('"AUTUMN   statement"', ["statement"]),
        ("budget* AND NOT sport", ["statement"]),
        ("budget* NOT sport", ["statement"]),
        ('(budget* OR "spending review") AND NOT sport', ["review", "statement"]),
        ("digital online", ["inclusion"]),  # side by side means AND
        ("digital OR tax*", ["inclusion", "taxes"]),
        ("capital OR february AND plans", ["review", "statement"]),  # AND binds tighter than OR
        ('"and"', []),
        ("statement and councils", ["statement"]),  # operators in any case
    ],
)
def test_expressions_match_the_items_they_should(expression, expected):
    assert found(expression) == expected


@pytest.mark.parametrize(
    "expression, message",
    [
        ("", "Enter at least one word or “phrase” to watch for."),
        ("   ", "Enter at least one word or “phrase” to watch for."),
        ("(budget OR tax", "An opening bracket “(” is never closed: add a “)”."),
        ("budget) OR tax", "There is a closing bracket “)” with no opening bracket “(” before it."),
        ("budget OR", "OR needs a word, a phrase or brackets after it."),
        ("AND budget", "AND needs a word, a phrase or brackets before it."),
        ("budget AND NOT", "NOT needs a word, a phrase or brackets after it."),
        ('"autumn statement', 'The phrase "autumn statement has no closing quotation mark.'),
        ('budget ""', 'There is an empty phrase (""): put words between the quotation marks.'),
        ("budget ()", "There are empty brackets “()”: put words between them or take them out."),
        ("NOT sport", "A watch needs at least one word it looks for, not only words it leaves out (NOT)."),
    ],
)
def test_a_bad_expression_says_what_is_wrong(expression, message):
    with pytest.raises(ValidationError) as error:
        parse(expression)
    assert error.value.messages == [message]


def test_matched_words_are_highlighted_and_the_rest_escaped():
    terms = parse('"autumn statement" OR budget* NOT sport').positive_terms()

    html = highlight("<b>Autumn Statement</b>: budgets & more", terms)

    assert html == "&lt;b&gt;<mark>Autumn Statement</mark>&lt;/b&gt;: <mark>budgets</mark> &amp; more"


@pytest.mark.django_db
def test_a_watch_listens_only_to_the_sources_and_tags_it_names(alice):
    news = ListeningSource.objects.create(name="News", url="https://news.example.org/feed")
    blog = ListeningSource.objects.create(name="Blog", url="https://blog.example.org/feed")
    forum = ListeningSource.objects.create(name="Forum", url="https://forum.example.org/feed")
    forum.tags.add(Tag.objects.create(name="budget", slug="budget"))
    for source in (news, blog, forum):
        ListeningItem.objects.create(source=source, guid=f"{source.pk}", title=f"Budget talk on {source.name}")
    watch = Watch.objects.create(owner=alice, name="Budget", expression="budget")
    watch.sources.add(news)
    watch.tags.add(Tag.objects.get(name="budget"))

    assert match_recent(watch) == 2

    assert sorted(m.item.source.name for m in WatchMatch.objects.filter(watch=watch)) == ["Forum", "News"]
