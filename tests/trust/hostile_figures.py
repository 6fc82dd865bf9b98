"""The hostile-input suite's figures (tests/trust/test_hostile_input.py), added up over its parts.

Each part of the suite records its figures on its test report (``record_property``), so the hooks
below, called from tests/conftest.py, gather them on the controlling process too when the parts run
on pytest-xdist workers, and print the sum in a "hostile-input figures" section of the terminal
summary (CI's log).
"""

HOSTILE_FIGURES = "hostile input figures"
_parts: list[dict] = []


def describe(figures: dict) -> str:
    return (
        f"Hostile input: {figures['payloads']} payloads × {figures['fields']} fields, "
        f"{figures['executed']} executed; {figures['answered']} form posts answered (saved or refused "
        f"with a 400), {figures['pages']} pages, {figures['emails']} emails and {figures['feeds']} feeds "
        f"parsed, in {figures['seconds']:.0f} s"
    )


def gather(report):
    if report.when == "call":
        _parts.extend(value for name, value in report.user_properties if name == HOSTILE_FIGURES)


def summarise(terminalreporter):
    if not _parts:
        return
    total = {name: sum(part[name] for part in _parts) for name in _parts[0] if name != "fields"}
    total["fields"] = _parts[0]["fields"]
    terminalreporter.section("hostile-input figures")
    terminalreporter.write_line(f"{describe(total)} of test time, in {len(_parts)} parts")
