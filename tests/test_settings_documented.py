"""Every setting the environment can give (``env``, ``env_bool``, ``env_list`` in
``wijkteam/settings/base.py``) is in the README's table of settings: an administrator finds
what they can set without reading the code."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
READ = re.compile(r'\benv(?:_bool|_list)?\(\s*"([A-Z][A-Z0-9_]*)"')


def _settings_table() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("| variable | meaning |")
    return readme[start : readme.index("\n\n", start)]


def test_every_environment_setting_is_in_the_readme():
    names = set(READ.findall((ROOT / "wijkteam" / "settings" / "base.py").read_text()))
    table = _settings_table()

    assert {"SECRET_KEY", "DATABASE_URL", "LOG_LEVEL"} <= names  # the scan finds them
    assert sorted(name for name in names if f"`{name}`" not in table) == []
