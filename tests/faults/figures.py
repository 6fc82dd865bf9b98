"""The fault suite's figures: one line per fault, shown at the end of every pytest session.

A fault test calls the ``figure`` fixture (tests/faults/conftest.py) with one line such as
``FAULT mail-down: 40 emails queued while down, 40 delivered after, 0 duplicates``. The line is
printed (visible with ``-s``) and attached to the test's report, so the hooks below, imported by
tests/conftest.py, gather it on the controlling process too when pytest-xdist runs the tests on
workers, and print every figure in a "fault figures" section of the terminal summary (CI's log).
"""

PROPERTY = "fault figure"
_figures: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _figures.extend(value for name, value in report.user_properties if name == PROPERTY)


def pytest_terminal_summary(terminalreporter):
    if not _figures:
        return
    terminalreporter.section("fault figures")
    for line in _figures:
        terminalreporter.write_line(line)
