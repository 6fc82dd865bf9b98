"""A Confer process for the fault tests to kill: ``python -m tests.faults.killable <scenario>``.

It runs with the test settings against the test's own database and search index (passed as JSON in
``FAULT_DATABASE`` and ``FAULT_SEARCH``), does the real work of a scenario, and at the chosen moment
creates the file ``FAULT_READY`` and sleeps, so the test can SIGKILL it at exactly that point:

- ``update_index``: ``manage.py update_index``, paused after the new index has its first documents
  (the live one untouched, the new one half-built);
- ``ask``: ``Question.ask`` (what ``/qa/ask/`` calls), paused inside its transaction after the
  question, its tags and its revision are written and the question is indexed, before it commits;
- ``send_immediate``: the email worker's sending of "straight away" emails, paused as the first
  email is handed to the mail server, after the notification was claimed.
"""

import json
import os
import sys
import time
from pathlib import Path


def pause_here(where=""):
    ready = Path(os.environ["FAULT_READY"])
    written = ready.with_suffix(".writing")
    written.write_text(where)
    os.replace(written, ready)  # the test sees the file only once it says where the pause is
    time.sleep(60)  # the test kills the process long before this ends
    raise SystemExit("not killed")


def main(scenario):
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    from django.conf import settings

    settings.DATABASES["default"].update(json.loads(os.environ["FAULT_DATABASE"]))
    settings.DATABASES["default"]["TEST"] = {}
    settings.WAGTAILSEARCH_BACKENDS = json.loads(os.environ["FAULT_SEARCH"])
    import django

    django.setup()

    if scenario == "update_index":
        from django.core.management import call_command

        from community.search import backend

        original = backend.WhooshIndex._write_build

        def write_then_pause(index, operations):
            original(index, operations)
            if index._added >= 2:
                index._writer.commit()  # what is written so far reaches the disk...
                pause_here(index.name)  # ...and the rebuild is killed before it swaps this family in

        backend.WhooshIndex._write_build = write_then_pause
        call_command("update_index", backend_name="default", chunk_size=2)
    elif scenario == "ask":
        from django.contrib.auth import get_user_model

        import qa.models

        def enqueue_then_pause(*args, **kwargs):
            pause_here()  # where the followers' notifications are handed to the task worker

        qa.models.notify_from_worker = enqueue_then_pause
        author = get_user_model().objects.get(username=os.environ["FAULT_AUTHOR"])
        qa.models.Question.ask(author, os.environ["FAULT_TITLE"], "Killed while this was being saved.", ["printing"])
    elif scenario == "send_immediate":
        from django.core.mail import EmailMessage

        from community.listening.emails import pending_immediate_ids, send_immediate

        EmailMessage.send = lambda message, fail_silently=False: pause_here()
        send_immediate(list(pending_immediate_ids()))
    else:
        raise SystemExit(f"unknown scenario {scenario!r}")


if __name__ == "__main__":
    main(sys.argv[1])
