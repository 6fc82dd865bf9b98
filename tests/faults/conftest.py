"""The fault suite: each test breaks something real (a mail server, a process, the index, the
database lock) and reports what happened as one figure line (tests/faults/figures.py)."""

import pytest

from .figures import PROPERTY


@pytest.fixture
def figure(request):
    def record(name: str, text: str) -> str:
        line = f"FAULT {name}: {text}"
        print(line)  # noqa: T201 - the suite reports its figures
        request.node.user_properties.append((PROPERTY, line))
        return line

    return record
