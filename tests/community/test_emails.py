"""community.emails.make_message: one way to build an email from templates on one layout."""

from community.emails import absolute_url, make_message


def proposed(**extra):
    context = {"name": "Sam O'Brien & <Co>", "topics": "excel &\nword", "url": "http://confer.example/r/1/", **extra}
    return make_message("buddy-proposed", "sam@example.org", context)


def test_it_renders_the_subject_on_one_line_unescaped():
    assert proposed().subject == "Volunteers can now help you with excel & word"


def test_it_does_not_escape_the_plain_text_but_escapes_the_html():
    message = proposed()
    html, mimetype = message.alternatives[0]

    assert message.body.startswith("Hello Sam O'Brien & <Co>,\n\nVolunteers are now free to help you with excel &")
    assert message.body.rstrip().endswith("Confer")
    assert mimetype == "text/html"
    assert "<p>Hello Sam O&#x27;Brien &amp; &lt;Co&gt;,</p>" in html
    assert "<p>Confer</p>" in html


def test_it_shares_one_layout_with_the_header_and_the_footer():
    html = proposed().alternatives[0][0]

    assert html.startswith("<!DOCTYPE html>")
    assert 'style="color:#ffffff;font-weight:bold;font-size:20px;text-decoration:none">Confer</a>' in html
    assert "You get this email because you are part of this buddy request on Confer." in html


def test_it_adds_the_unsubscribe_footer_only_when_there_is_an_unsubscribe_link():
    item = {"text": "Bob answered", "html": "Bob answered", "url": "http://confer.example/n/1/"}
    links = {"unsubscribe_url": "http://confer.example/u/x/", "preferences_url": "http://confer.example/p/"}

    with_link = make_message("notification", "sam@example.org", {"item": item, **links})
    without = proposed()

    assert "Unsubscribe from all Confer emails: http://confer.example/u/x/" in with_link.body
    assert 'href="http://confer.example/u/x/"' in with_link.alternatives[0][0]
    assert "Unsubscribe" not in without.body and "unsubscribe" not in without.alternatives[0][0]


def test_it_passes_headers_attachments_and_reply_to_through():
    message = make_message(
        "buddy-proposed",
        ["sam@example.org"],
        {"name": "Sam", "topics": "excel", "url": "/"},
        headers={"List-Unsubscribe": "<http://confer.example/u/x/>"},
        attachments=[("event.ics", "BEGIN:VCALENDAR", "text/calendar")],
        reply_to=["kim@example.org"],
    )

    assert message.to == ["sam@example.org"]
    assert message.extra_headers == {"List-Unsubscribe": "<http://confer.example/u/x/>"}
    assert message.attachments[0][0] == "event.ics"
    assert message.reply_to == ["kim@example.org"]


def test_it_cuts_a_long_subject():
    assert len(proposed(topics="excel " * 60).subject) == 150


def test_absolute_url_puts_the_site_in_front_of_paths_only(settings):
    settings.SITE_URL = "https://confer.example"

    assert absolute_url("/qa/1/") == "https://confer.example/qa/1/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
