"""Demo questions and answers, drawn from the stories behind Confer (docs/stories.md): the helpdesk's repeat calls.

Idempotent: a question whose title already exists is left alone, with everything that hangs off it.
"""

import datetime

import django_comments
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from community.listening.follows import follow
from community.models import Community, EmailFrequency, ListeningPreferences, Notification
from community.names import display_name

from .models import Question

# Each question: who asked, how many days ago, tags, answers (author, body, and what happened to it),
# votes as (username, +1/-1) on the question and per answer, and "Did this solve your problem?" replies.
QUESTIONS = [
    {
        "asker": "tom",
        "days_ago": 40,
        "tags": ["vpn", "remote working"],
        "title": "VPN will not connect from home: error 809",
        "body": "Since Monday the VPN client on my laptop says **error 809** and gives up after a minute. "
        "It works in the office. I am on my home broadband.\n\nI have restarted the laptop twice. What else can I try?",
        "answers": [
            {
                "author": "dev",
                "verified_by": "hannah",
                "review_in_days": 150,
                "accepted": True,
                "votes": [("tom", 1), ("marie", 1), ("owen", 1)],
                "body": "Error 809 usually means your home router is blocking the VPN traffic.\n\n"
                "1. Restart your router (switch it off for 30 seconds).\n2. Open the VPN client and choose **Connect using the backup gateway**.\n"
                "3. If it still fails, connect to your phone's hotspot to check whether it is the broadband.\n\n"
                "If the hotspot works, your router needs *IPsec passthrough* switched on; your provider can help.",
            },
            {
                "author": "owen",
                "votes": [("tom", 1)],
                "body": "I had the same last month. Switching to the backup gateway fixed it for me straight away.",
            },
        ],
        "question_votes": [("marie", 1), ("priya", 1), ("owen", 1)],
        "feedback": [("marie", True), ("priya", True), ("grace", True), ("sam", False)],
        "comments": [
            ("marie", "Does this also apply to the new laptops?"),
            ("dev", "Yes, the same client is on all of them."),
        ],
    },
    {
        "asker": "priya",
        "days_ago": 12,
        "tags": ["vpn"],
        "title": "VPN drops every 10 minutes when working from home",
        "body": "The VPN connects fine but drops every ten minutes or so, and my shared drives disconnect. "
        "Is there a setting to keep it alive?",
        "duplicate_of": "VPN will not connect from home: error 809",
        "question_votes": [("tom", 1)],
    },
    {
        "asker": "marie",
        "days_ago": 30,
        "tags": ["expenses"],
        "title": "How do I claim travel expenses for a site visit?",
        "body": "I travelled to a client site by train last week. Where do I claim the fare, and do I need the paper ticket?",
        "answers": [
            {
                "author": "hannah",
                "verified_by": "hannah",
                "review_in_days": 120,
                "accepted": True,
                "votes": [("marie", 1), ("tom", 1), ("owen", 1), ("priya", 1)],
                "body": "Claim it in the **expenses system** under *Travel – rail* within three months of the journey.\n\n"
                "- Attach a photo of the ticket or the e-ticket email; you do not need the paper ticket.\n"
                "- Your line manager approves the claim, then it is paid with the next salary.",
            },
        ],
        "question_votes": [("tom", 1), ("owen", 1)],
        "feedback": [("tom", True), ("owen", True), ("priya", True), ("grace", True)],
    },
    {
        "asker": "owen",
        "days_ago": 200,
        "tags": ["expenses", "finance"],
        "title": "Can I claim for working lunches with external partners?",
        "body": "We hosted partners from another department over lunch. Can this be claimed, and is there a limit per head?",
        "answers": [
            {
                "author": "tom",
                "verified_by": "dev",
                "review_days_ago": 10,
                "votes": [("owen", 1), ("marie", 1)],
                "body": "Yes, as *hospitality*. The limit is £15 a head and you need your director's approval before the lunch. "
                "Record the names of the guests on the claim.",
            },
        ],
        "question_votes": [("marie", 1)],
        "feedback": [("marie", True)],
    },
    {
        "asker": "tom",
        "days_ago": 8,
        "tags": ["excel"],
        "title": "How do I make a pivot table in Excel from the monthly budget report?",
        "body": "I have the monthly budget report as a spreadsheet with one row per transaction. "
        "I need totals by cost centre and month. Someone said a pivot table does this. How?",
        "answers": [
            {
                "author": "marie",
                "accepted": True,
                "votes": [("tom", 1), ("priya", 1)],
                "body": "1. Click anywhere in your data and press **Ctrl+T** to make it a table.\n"
                "2. Choose **Insert → PivotTable** and put it on a new sheet.\n"
                "3. Drag *Cost centre* to **Rows**, *Month* to **Columns** and *Amount* to **Values**.\n\n"
                "Because the source is a table, next month you only paste the new rows and choose **Refresh**.",
            },
            {
                "author": "owen",
                "votes": [("tom", 1), ("marie", -1)],
                "body": "You can also use SUMIFS if you only need a few totals, but the pivot table is quicker.",
            },
        ],
        "question_votes": [("marie", 1), ("owen", 1), ("priya", 1)],
        "feedback": [("priya", True), ("grace", True)],
    },
    {
        "asker": "owen",
        "days_ago": 3,
        "tags": ["excel"],
        "title": "Excel keeps changing my reference numbers into dates",
        "body": "When I paste case references like 3-12 into Excel they turn into 03-Dec. How do I stop this?",
        "answers": [
            {
                "author": "priya",
                "body": "Format the column as **Text** before you paste (Home → Number → Text), or type an apostrophe first: `'3-12`.",
            },
        ],
    },
    {
        "asker": "grace",
        "days_ago": 20,
        "tags": ["yammer", "communities"],
        "title": "How do I set up a Yammer group for our staff network?",
        "body": "The staff wellbeing network wants a place to share news and events. Can anyone create a Yammer group, "
        "and can we make it private?",
        "answers": [
            {
                "author": "liz",
                "verified_by": "hannah",
                "review_in_days": 90,
                "votes": [("grace", 1), ("carl", 1)],
                "body": "Anyone can create a group: in Yammer choose **Create a community**, give it a name and a short description.\n\n"
                "Choose **Private** if only members should see posts. Add at least two admins so the group survives holidays. "
                "The digital team runs a short session on running a good group; ask us.",
            },
        ],
        "question_votes": [("carl", 1), ("liz", 1)],
        "comments": [("carl", "We did this for the transformation network. Happy to share what worked.")],
    },
    {
        "asker": "priya",
        "days_ago": 6,
        "tags": ["rss", "listening"],
        "title": "Which RSS reader should I use to follow policy blogs?",
        "body": "For the listening work I want to follow about 30 blogs and news sites without visiting each one. "
        "Which RSS reader do colleagues use, and is one approved?",
        "answers": [
            {
                "author": "liz",
                "votes": [("priya", 1), ("marie", 1)],
                "body": "Several of us use **Feedly** (free plan is enough for 100 sources) and the digital buddies use the RSS "
                "feature built into Outlook, which needs no new account. Group your feeds into folders by topic so you "
                "can skim one folder in ten minutes.",
            },
        ],
        "question_votes": [("liz", 1)],
    },
    {
        "asker": "marie",
        "days_ago": 2,
        "tags": ["blogging", "workshops"],
        "title": "How do I book a place on the Boost your blog workshop?",
        "community": "Boost your blog alumni",
        "body": "I write a personal blog and would like to improve it. Is the *Boost your blog* workshop still running, and how do I book?",
    },
    {
        "asker": "tom",
        "days_ago": 1,
        "tags": ["twitter"],
        "title": "Can I tweet about our work from my own Twitter account?",
        "body": "I would like to share our published reports from my own account. Is that allowed, and is there guidance?",
    },
    {
        "asker": "owen",
        "days_ago": 15,
        "tags": ["printing"],
        "title": "Printer on floor 3 says it is offline",
        "body": "The printer by the lifts on floor 3 shows as offline on my laptop. Others can print. What should I try?",
        "answers": [
            {
                "author": "dev",
                "votes": [("owen", 1)],
                "body": "Remove the printer from **Settings → Printers**, then add it again by its name `FL3-LIFTS`. That resets the driver.",
            },
        ],
        "close": ("resolved", "The printer was replaced on the 14th."),
    },
]


def _users():
    return {user.username: user for user in get_user_model().objects.all()}


def seed_question(spec, users, now):
    asker = users[spec["asker"]]
    community = Community.objects.filter(name=spec.get("community", "")).first()
    question = Question.ask(asker, spec["title"], spec["body"], spec["tags"], community)
    asked_at = now - datetime.timedelta(days=spec["days_ago"])
    Question.objects.filter(pk=question.pk).update(created_at=asked_at, last_activity_at=asked_at)
    question.revisions.update(created_at=asked_at)
    _backdate_notifications(question, asked_at)
    for username, value in spec.get("question_votes", []):
        question.vote(users[username], value)
    for offset, answer_spec in enumerate(spec.get("answers", []), start=1):
        answer = question.add_answer(users[answer_spec["author"]], answer_spec["body"])
        answered_at = asked_at + datetime.timedelta(hours=3 * offset)
        type(answer).objects.filter(pk=answer.pk).update(created_at=answered_at)
        answer.revisions.update(created_at=answered_at)
        _backdate_notifications(answer, answered_at)
        for username, value in answer_spec.get("votes", []):
            answer.vote(users[username], value)
        if answer_spec.get("accepted"):
            question.accept(answer, asker)
        if "verified_by" in answer_spec:
            answer.verify(users[answer_spec["verified_by"]], timezone.localdate() + datetime.timedelta(days=200))
            if "review_days_ago" in answer_spec:
                # Verified long ago and now past its review date: it shows in the helpdesk queue.
                type(answer).objects.filter(pk=answer.pk).update(
                    verified_at=asked_at + datetime.timedelta(days=1),
                    review_by=timezone.localdate() - datetime.timedelta(days=answer_spec["review_days_ago"]),
                )
            else:
                type(answer).objects.filter(pk=answer.pk).update(
                    review_by=timezone.localdate() + datetime.timedelta(days=answer_spec["review_in_days"])
                )
    # Review dates were moved with update() above: the flags lists read from the row follow them.
    Question.objects.filter(pk=question.pk).refresh_answer_state()
    Question.objects.filter(pk=question.pk).update(last_activity_at=asked_at + datetime.timedelta(hours=4))
    question.refresh_from_db()
    for username, solved in spec.get("feedback", []):
        question.record_feedback(users[username], solved)
    for username, text in spec.get("comments", []):
        _comment(question, users[username], text)
    return question


def _backdate_notifications(target, when):
    """Notifications about demo content read as if they came when it happened."""
    Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, created_at__gt=when
    ).update(created_at=when)


def _comment(question, user, text):
    django_comments.get_model().objects.create(
        content_object=question,
        site_id=settings.SITE_ID,
        user=user,
        user_name=display_name(user)[:50],
        user_email=user.email,
        comment=text,
        is_public=True,
    )


# Who follows what before the questions arrive, so the demo has notifications to read.
DEMO_FOLLOWS = {
    "tom": ["vpn", "expenses"],
    "marie": ["blogging", "rss", "yammer"],
    "priya": ["excel"],
    "owen": ["twitter", "blogging"],
    "hannah": ["vpn", "excel", "expenses"],
    "dev": ["vpn", "printing"],
    "liz": ["blogging", "rss"],
}
DEMO_EMAIL = {"tom": EmailFrequency.IMMEDIATELY, "marie": EmailFrequency.WEEKLY, "sam": EmailFrequency.OFF}


def _seed_follows(users):
    for username, names in DEMO_FOLLOWS.items():
        if username not in users:
            continue
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name, slug=slugify(name))
            follow(users[username], tag)
    if {"tom", "hannah"} <= users.keys():
        follow(users["tom"], users["hannah"])


def _seed_email_preferences(users):
    # Set last (see finish): the demo load itself should not send anyone an email.
    for username, frequency in DEMO_EMAIL.items():
        if username in users:
            ListeningPreferences.objects.update_or_create(
                user=users[username], defaults={"email_frequency": frequency}
            )


def seed(command):
    users = _users()
    now = timezone.now()
    created = 0
    _seed_follows(users)
    by_title = {}
    for spec in QUESTIONS:
        existing = Question.objects.filter(title=spec["title"]).first()
        if existing is None:
            existing = seed_question(spec, users, now)
            created += 1
            if "close" in spec:
                reason, note = spec["close"]
                existing.close(users["hannah"], reason, note=note)
            if "duplicate_of" in spec:
                existing.close(
                    users["hannah"], Question.CloseReason.DUPLICATE, duplicate_of=by_title[spec["duplicate_of"]]
                )
        by_title[spec["title"]] = existing
    command.stdout.write(f"  questions and answers ({created} new)")


def finish(command):
    """After every part has loaded its demo content: nothing loaded before this emails anyone."""
    _seed_email_preferences(_users())
