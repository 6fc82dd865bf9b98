"""Running jobs at the same moment, as concurrent requests would (docs/traps.md: races)."""

import threading

from django.db import connection


def run_together(jobs):
    """Start every job at once (a barrier), each on its own database connection as each request
    would be; wait for all and return what each raised, if anything (None where it succeeded)."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
