"""Every kind of read the services log has words for the privacy officer and for the resident:
a new ``log_access(view=...)`` without them would show the developer's name in the access log
and in the right-of-access document."""

import pathlib
import re

from privacy.events import READS, READS_TO_RESIDENT

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("accounts", "base", "cases", "volunteers", "socialmap", "reports", "privacy", "wijkteam")
LOGGED = re.compile(r'\bview="([a-z_]+)"')


def _logged_views() -> set[str]:
    views = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text()
            if "log_access(" in source:
                views |= set(LOGGED.findall(source))
    return views


def test_every_logged_read_has_words_for_the_officer_and_the_resident():
    views = _logged_views()

    assert {"case_file", "case_history", "volunteer_slice"} <= views  # the scan finds them
    assert views - set(READS) == set()
    assert views - set(READS_TO_RESIDENT) == set()
