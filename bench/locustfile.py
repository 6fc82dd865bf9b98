"""Load benchmark: signed-in colleagues over a realistic mix of Confer's pages (bench/README.md).

Run by bench/run_load.py against a server seeded with ``manage.py seed_bench``; it can also be run
by hand: ``locust -f bench/locustfile.py --headless -u 8 -r 8 -t 60s -H http://127.0.0.1:8000``.
Environment: BENCH_PEOPLE (how many bench people to sign in as), BENCH_QUESTIONS_MIN and
BENCH_QUESTIONS, BENCH_IDEAS_MIN and BENCH_IDEAS (the range of ids to pick from), BENCH_TAGS
(comma-separated tag slugs to filter and search by),
BENCH_ONLY and BENCH_SKIP (comma-separated task names: the methods below). For a side-by-side
run with another product (bench/LOAD.md, "Askbot"): BENCH_LIST ("show:sort", one list instead of
a random filter and sort), BENCH_SEARCH (one query instead of two random words) and
BENCH_QUESTION_PATHS (a file of question addresses, one per line, requested as they are instead of
``/qa/<id>/`` and its redirect).

Every request is named for its page, so the report gives each page its own p50/p95/p99 and errors.
"trivial" is a signed-in view that does almost nothing (a tag completion that matches no tag): the
ceiling the other pages are compared with, measured in the same run.
"""

import os
import random
import re

from locust import HttpUser, between, task

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "1000"))
QUESTIONS_MIN = int(os.environ.get("BENCH_QUESTIONS_MIN", "1"))
IDEAS = int(os.environ.get("BENCH_IDEAS", "200"))
IDEAS_MIN = int(os.environ.get("BENCH_IDEAS_MIN", "1"))
TAGS = [t for t in os.environ.get("BENCH_TAGS", "vpn,excel,laptop,password,teams").split(",") if t]
WORDS = "vpn excel laptop password teams printer leave expenses outlook payroll".split()
PASSWORD = "confer-bench"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LIST = os.environ.get("BENCH_LIST", "")
SEARCH = os.environ.get("BENCH_SEARCH", "")
QUESTION_PATHS = []
if os.environ.get("BENCH_QUESTION_PATHS"):
    with open(os.environ["BENCH_QUESTION_PATHS"]) as paths:
        QUESTION_PATHS = [line.strip() for line in paths if line.strip()]
# BENCH_ONLY=search,trivial runs only those tasks; BENCH_SKIP=search leaves those out (a page slow
# enough to hold a worker for seconds would otherwise make every other page wait behind it).
ONLY = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
SKIP = {n for n in os.environ.get("BENCH_SKIP", "").split(",") if n}


def weight(name: str, default: int) -> int:
    """The task's weight in the mix; 0 (never run) if BENCH_ONLY or BENCH_SKIP leave it out."""
    return 0 if (ONLY and name not in ONLY) or name in SKIP else default


class Colleague(HttpUser):
    wait_time = between(0, 0) if os.environ.get("BENCH_NO_WAIT") else between(0.5, 1.5)

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        username = f"bench{random.randrange(PEOPLE)}"
        with self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
            catch_response=True,
        ) as response:
            # Signed out, every page would measure the sign-in form instead: count it as an error.
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{username} could not sign in ({response.status_code})")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post(self, url, data, name):
        headers = {"X-CSRFToken": self.csrf(), "Referer": self.host + url}
        with self.client.post(url, data, headers=headers, name=name, catch_response=True, allow_redirects=False) as r:
            # A refusal the site explains (already voted, own post, closed) is a normal answer, not an error.
            if r.status_code in (200, 302, 400, 403):
                r.success()

    # --- reads ---

    @task(weight("home", 8))
    def home(self):
        self.client.get("/", name="home")

    @task(weight("question_list", 8))
    def question_list(self):
        show = random.choice(["all", "all", "unanswered", "no_accepted", "verified"])
        sort = random.choice(["newest", "newest", "active", "votes"])
        if LIST:
            show, sort = LIST.split(":")
        self.client.get(f"/qa/?show={show}&sort={sort}", name=f"questions {show} {sort}")

    @task(weight("question_list_tag", 2))
    def question_list_tag(self):
        self.client.get(f"/qa/?tag={random.choice(TAGS)}", name="questions by tag")

    @task(weight("question", 14))
    def question(self):
        if QUESTION_PATHS:
            self.client.get(random.choice(QUESTION_PATHS), name="question page")
        else:
            self.client.get(f"/qa/{random.randint(QUESTIONS_MIN, QUESTIONS)}/", name="question page")

    @task(weight("ideas_trending", 4))
    def ideas_trending(self):
        self.client.get("/ideas/?sort=trending", name="ideas trending")

    @task(weight("ideas_top", 3))
    def ideas_top(self):
        self.client.get("/ideas/?sort=top", name="ideas top")

    @task(weight("idea", 5))
    def idea(self):
        self.client.get(f"/ideas/{random.randint(IDEAS_MIN, IDEAS)}/", name="idea page")

    @task(weight("people", 3))
    def people(self):
        self.client.get(f"/people/?q={random.choice(TAGS)}", name="people finder")

    @task(weight("tag", 3))
    def tag(self):
        self.client.get(f"/tags/{random.choice(TAGS)}/", name="tag page")

    @task(weight("search", 5))
    def search(self):
        words = SEARCH or f"{random.choice(WORDS)} {random.choice(WORDS)}"
        self.client.get("/search/", params={"q": words}, name="search")

    @task(weight("notifications", 3))
    def notifications(self):
        self.client.get("/notifications/", name="notifications")

    @task(weight("trivial", 6))
    def trivial(self):
        # A completion that matches no tag: sign-in, session and middleware, one look-up in the tag
        # names. (With nothing typed it counts every tagged question: not trivial at scale 1.)
        self.client.get("/qa/tags/suggest/?tags=qqqq", name="trivial")

    # --- writes ---

    @task(weight("ask", 1))
    def ask(self):
        n = random.randrange(10**9)
        title = f"How do I {random.choice(WORDS)} with {random.choice(WORDS)} {n}?"
        data = {"title": title, "body": "It fails after a minute. " * 3, "tags": random.choice(TAGS)}
        self.post("/qa/ask/", data, "ask")

    @task(weight("answer", 2))
    def answer(self):
        pk = random.randint(QUESTIONS_MIN, QUESTIONS)
        self.post(f"/qa/questions/{pk}/answer/", {"body": "Restart it, then sign in again."}, "answer")

    @task(weight("vote", 3))
    def vote(self):
        pk = random.randint(QUESTIONS_MIN, QUESTIONS)
        self.post(f"/qa/questions/{pk}/vote/", {"value": random.choice(["up", "down", "withdraw"])}, "vote")

    @task(weight("idea_vote", 2))
    def idea_vote(self):
        pk = random.randint(IDEAS_MIN, IDEAS)
        self.post(f"/ideas/ideas/{pk}/vote/", {"action": random.choice(["vote", "withdraw"])}, "idea vote")
