"""Demo skills, volunteers and buddy requests, drawn from the stories behind Confer (docs/stories.md): a department's
"30 digital buddies" around the building, an audit office's digital ambassadors (Marie on the corporate
Twitter account, Owen and his web content tidy-up), and "digital matchmaking" between colleagues.

Idempotent: people and offers are updated in place, and a request whose note already exists is
left alone. No email is sent while loading.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from community.demo import DEMO_PASSWORD
from community.models import Directorate, Notification, Profile

from . import emails
from .models import BuddyRequest, HelpOffer, Level, Skill, route_unanswered_questions, tags_named

E, P, L = Level.EXPERT, Level.PRACTISING, Level.LEARNING

# The named demo people's skills: topic → level, then what they can help with and want to learn.
SKILLS = {
    "liz": ({"rss": E, "ifttt": E, "listening": E, "twitter": P, "blogging": P}, ["rss", "ifttt", "listening"], []),
    "sam": ({"blogging": E, "workshops": E, "twitter": P}, ["blogging"], ["video"]),
    "hannah": ({"vpn": E, "outlook": E, "getting started": P}, ["vpn", "outlook"], []),
    "dev": ({"vpn": E, "remote working": E, "printing": P}, ["vpn", "remote working"], []),
    "carl": ({"yammer": E, "communities": P}, ["yammer"], ["twitter"]),
    "grace": ({"communities": P, "yammer": P}, [], ["twitter", "blogging"]),
    "marie": ({"twitter": E, "blogging": E, "excel": P}, ["twitter", "blogging"], ["ifttt"]),
    "tom": ({"excel": L, "expenses": P}, [], ["blogging", "rss", "getting started"]),
    "priya": ({"excel": E, "rss": P, "listening": P}, ["excel", "rss"], []),
    "owen": ({"web content": E, "excel": P, "twitter": L}, ["web content"], ["rss"]),
}

# The named volunteers: role, topics, capacity, availability.
OFFERS = {
    "liz": ("buddy", ["rss", "ifttt", "listening", "getting started"], 3, "Most days; drop by the digital team"),
    "priya": ("buddy", ["excel", "rss", "listening"], 2, "Tuesday and Thursday mornings, Strategy unit"),
    "marie": ("ambassador", ["twitter", "blogging"], 2, "Lunchtimes, or on Teams"),
    "owen": ("ambassador", ["web content", "excel"], 2, "Fridays"),
    "dev": ("buddy", ["vpn", "remote working", "getting started"], 1, "Afternoons, IT service desk"),
    "sam": ("ambassador", ["blogging", "workshops"], 3, "By appointment"),
}

# The rest of the thirty buddies, around the directorates: username, name, directorate, job title,
# team, topics they help with (expert in the first), capacity, availability, and a state.
BUDDIES = [
    ("aisha", "Aisha", "Begum", "Finance", "Management accountant", "Budgets", ["excel", "getting started"], 2, "Mornings, 4th floor"),
    ("ben", "Ben", "Clarke", "Finance", "Payments officer", "Accounts payable", ["excel", "outlook"], 1, "Wednesdays"),
    ("chloe", "Chloe", "Evans", "Audit", "Auditor", "Financial audit", ["excel", "onenote"], 2, "After 3pm"),
    ("daniel", "Daniel", "Novak", "Audit", "Data analyst", "Audit analytics", ["excel", "power bi"], 3, "Any afternoon on Teams"),
    ("ella", "Ella", "Fraser", "Audit", "Audit manager", "Value for money audit", ["twitter", "blogging"], 1, "Thursdays"),
    ("femi", "Femi", "Adebayo", "IT Services", "Desktop engineer", "End user computing", ["vpn", "printing", "getting started"], 3, "Office hours"),
    ("gwen", "Gwen", "Rhys", "IT Services", "Trainer", "Digital skills", ["teams", "outlook", "getting started"], 3, "Daily drop-in at 12:30"),
    ("harry", "Harry", "Lam", "IT Services", "Business analyst", "Change", ["sharepoint", "teams"], 2, "Mondays and Tuesdays"),
    ("isla", "Isla", "McLeod", "Policy and Strategy", "Policy officer", "Strategy unit", ["rss", "listening", "twitter"], 2, "Mornings"),
    ("jamal", "Jamal", "Hussain", "Policy and Strategy", "Economist", "Analysis", ["excel", "power bi"], 1, "Fridays"),
    ("kate", "Kate", "O'Brien", "Policy and Strategy", "Speechwriter", "Private office", ["blogging", "web content"], 1, "Early mornings"),
    ("leo", "Leo", "Martins", "People and HR", "HR adviser", "Employee relations", ["getting started", "teams"], 2, "Tuesdays"),
    ("maya", "Maya", "Singh", "People and HR", "Learning and development partner", "Learning", ["yammer", "teams", "getting started"], 3, "Any day, book via Outlook"),
    ("nina", "Nina", "Kowalska", "People and HR", "Recruitment officer", "Resourcing", ["sharepoint", "outlook"], 2, "Afternoons"),
    ("oscar", "Oscar", "Reid", "Digital and Communications", "Content designer", "Digital team", ["web content", "accessibility", "blogging"], 2, "Most days"),
    ("pat", "Pat", "Murphy", "Digital and Communications", "Press officer", "Press office", ["twitter", "listening"], 2, "Late afternoons"),
    ("quinn", "Quinn", "Walsh", "Digital and Communications", "Internal comms officer", "Internal communications", ["yammer", "blogging"], 2, "Mornings"),
    ("rosa", "Rosa", "Diaz", "Finance", "Procurement officer", "Commercial", ["word", "sharepoint"], 2, "Wednesdays and Thursdays"),
    ("sunil", "Sunil", "Rao", "IT Services", "Accessibility lead", "Digital skills", ["accessibility", "word"], 2, "Any time on Teams"),
    ("tess", "Tess", "Byrne", "Audit", "Trainee auditor", "Financial audit", ["onenote", "teams"], 1, "Lunchtimes"),
    ("umar", "Umar", "Farooq", "Policy and Strategy", "Researcher", "Analysis", ["rss", "ifttt"], 2, "Mornings"),
    ("vera", "Vera", "Nowak", "People and HR", "Wellbeing lead", "Staff engagement", ["yammer", "getting started"], 1, "Fridays"),
    ("will", "Will", "Turner", "Digital and Communications", "Web developer", "Digital team", ["accessibility", "web content", "ifttt"], 1, "Afternoons"),
    ("zara", "Zara", "Ahmed", "Finance", "Finance business partner", "Budgets", ["excel", "powerpoint"], 2, "Thursday afternoons"),
]  # fmt: skip
PAUSED = {"tess"}  # on leave: offer paused
ENDING = {"vera": 60}  # volunteering for a fixed time: ends in this many days

# Buddy requests in every state. requester, topics, note, volunteer asked (or None), what happened,
# days ago.
REQUESTS = [
    ("tom", ["excel"], "I would like to get quicker at the formulas in our monthly budget reports.", None, "proposed", 1),
    ("grace", ["communities"], "Our staff wellbeing network wants to grow its online community. Where do we start?", None, "requested", 4),
    ("owen", ["rss"], "I want to follow audit blogs without checking each website. Could someone set up a reader with me?", "priya", "asked", 1),
    ("carl", ["twitter"], "I would like to tweet about our transformation work from my own account, and do it well.", "marie", "reminded", 7),
    ("tom", ["blogging"], "I have been asked to write a team blog post and I have never blogged. Help!", "marie", "accepted", 5),
    ("priya", ["vpn"], "My VPN keeps dropping when I work from home on Fridays.", "dev", "accepted", 3),
    ("grace", ["twitter"], "Could someone help me set up an account for the staff network?", "pat", "done", 30),
    ("owen", ["excel"], "I need a chart that updates itself from our audit tracker.", "aisha", "declined", 6),
    ("hannah", ["blogging"], "I would like to start a helpdesk blog with tips.", "sam", "withdrawn", 10),
    ("sam", ["teams"], "How do I run a workshop with breakout rooms in Teams?", "gwen", "done_unhelpful", 20),
]  # fmt: skip
OUTCOMES = {
    "done": ("We set up the staff network's account and scheduled our first week of posts.", True),
    "done_unhelpful": ("We could not find a time that suited us both before the workshop.", False),
}


def _seed_buddies(users):
    User = get_user_model()
    staff = Group.objects.filter(name="Staff").first()
    for username, first, last, directorate, title, team, *_ in BUDDIES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@confer.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if staff is not None:
            user.groups.add(staff)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": f"{first} {last}",
                "job_title": title,
                "directorate": Directorate.objects.get_or_create(name=directorate)[0],
                "team": team,
                "bio": f"Digital buddy for the {team} team.",
            },
        )
        users[username] = user


def _seed_skills(users):
    for username, (levels, helps, learns) in SKILLS.items():
        if username in users:
            Skill.set_for(users[username], levels, helps, learns)
    for username, *_, topics, _capacity, _availability in BUDDIES:
        Skill.set_for(
            users[username], {topics[0]: Level.EXPERT, **dict.fromkeys(topics[1:], Level.PRACTISING)}, topics
        )


def _seed_offers(users):
    today = timezone.localdate()
    offers = {username: spec for username, spec in OFFERS.items() if username in users}
    for username, *_, topics, capacity, availability in BUDDIES:
        offers[username] = ("buddy", topics, capacity, availability)
    for username, (role, topics, capacity, availability) in offers.items():
        user = users[username]
        existing = HelpOffer.objects.filter(user=user).first()
        # An offer already carrying matches keeps at least that capacity (the rule save_for enforces).
        capacity = max(capacity, existing.matched_count() if existing else 0)
        ends_on = today + datetime.timedelta(days=ENDING[username]) if username in ENDING else None
        offer = HelpOffer.save_for(
            user, role=role, topics=topics, capacity=capacity, availability=availability, ends_on=ends_on
        )
        if username in PAUSED and not offer.is_paused:
            offer.pause(user)


def _seed_request(users, requester, topics, note, volunteer, state, days_ago, now):
    requester, volunteer = users[requester], users.get(volunteer) if volunteer else None
    when = now - datetime.timedelta(days=days_ago)
    request = BuddyRequest.open_for(requester, tags_named(topics, create=True), note, volunteer=volunteer)
    if state == "reminded":
        BuddyRequest.objects.filter(pk=request.pk).update(asked_at=when)
        request.refresh_from_db()
        request.remind(now - datetime.timedelta(days=2))
    elif state in ("accepted", "done", "done_unhelpful"):
        request.accept(volunteer)
        if state != "accepted":
            outcome, helpful = OUTCOMES[state]
            request.mark_done(requester, outcome, helpful)
    elif state == "declined":
        request.decline(volunteer)
    elif state == "withdrawn":
        request.withdraw(requester)
    later = when + datetime.timedelta(hours=2)
    fields = {"created_at": when}
    if request.asked_at and state != "reminded":
        fields["asked_at"] = when
    if state in ("accepted", "done", "done_unhelpful"):
        fields["matched_at"] = later
    if state in ("done", "done_unhelpful", "withdrawn"):
        fields["finished_at"] = when + datetime.timedelta(days=min(days_ago - 1, 14) or 1)
    BuddyRequest.objects.filter(pk=request.pk).update(**fields)
    request.proposals.update(created_at=when)
    # Its notifications read as if they came when it happened, not when the demo was loaded.
    Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(BuddyRequest), object_id=request.pk
    ).update(created_at=later)
    return request


def seed(command):
    users = {user.username: user for user in get_user_model().objects.all()}
    now = timezone.now()
    with emails.suppressed():
        _seed_buddies(users)
        _seed_skills(users)
        _seed_offers(users)
        created = 0
        for requester, topics, note, volunteer, state, days_ago in REQUESTS:
            if requester not in users or BuddyRequest.objects.filter(requester=users[requester], note=note).exists():
                continue
            _seed_request(users, requester, topics, note, volunteer, state, days_ago, now)
            created += 1
        routed = route_unanswered_questions(now)
    # The demo load itself should not email anyone: its notifications count as already told.
    Notification.objects.filter(event_type__startswith="skills.", emailed_at__isnull=True).update(emailed_at=now)
    volunteers = HelpOffer.objects.active().count()
    command.stdout.write(
        f"  skills, {volunteers} volunteers, {created} buddy requests, {routed} unanswered questions routed"
    )
