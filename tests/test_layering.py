"""The house: lower rooms never import higher ones (README "Shape of the code").

Floors, lowest first: ``accounts`` and ``base`` (people, teams, roles; actor, access log,
policies, form pieces) → ``cases`` (the case file) → ``volunteers`` and ``socialmap`` (their
own records; neither imports the other) → ``privacy`` and ``reports`` (read models over
everything below; neither imports the other) → ``wijkteam`` (project-level pages, settings,
seed_demo) → ``perf`` (tooling over the whole house).

Two documented exceptions, and no others:

* ``accounts.services`` → ``cases.permissions``: an account fact (a role, an active account)
  changes case access, so the services that change one re-derive the case grants at once;
* ``cases.screening`` → ``volunteers.models``: the screening gate (a volunteer holds case
  access only with a valid VOG, which the volunteer profile records).

Function-level imports of another app are not allowed either (they only hide a cycle), except
in ``AppConfig.ready`` (``apps.py``), where Django requires them.
"""

import ast
from pathlib import Path

from django.conf import settings

FLOORS = {
    "accounts": 0,
    "base": 0,
    "cases": 1,
    "volunteers": 2,
    "socialmap": 2,
    "privacy": 3,
    "reports": 3,
    "wijkteam": 4,
    "perf": 5,
}
SAME_FLOOR_ALLOWED = {frozenset({"accounts", "base"})}
EXCEPTIONS = {
    ("accounts/services.py", "cases.permissions"),
    ("cases/screening.py", "volunteers.models"),
}


def _imports():
    base = Path(settings.BASE_DIR)
    for app in FLOORS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            nested = {
                id(node)
                for function in ast.walk(tree)
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                for node in ast.walk(function)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module or ""]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in FLOORS and target != app:
                        yield str(path.relative_to(base)), app, module, target, id(node) in nested


def test_no_room_imports_a_higher_one_except_the_two_documented():
    wrong = [
        f"{path} imports {module}"
        for path, app, module, target, _nested in _imports()
        if (FLOORS[target] > FLOORS[app] or (FLOORS[target] == FLOORS[app] and {app, target} not in SAME_FLOOR_ALLOWED))
        and (path, module) not in EXCEPTIONS
    ]

    assert wrong == []


def test_no_function_level_import_of_another_app_outside_app_ready():
    hidden = [
        f"{path} imports {module} inside a function"
        for path, _app, module, _target, nested in _imports()
        if nested and not path.endswith("apps.py")
    ]

    assert hidden == []


def test_the_documented_exceptions_are_still_needed():
    """An exception nobody uses any more is removed from the list (and from the README)."""
    used = {(path, module) for path, _app, module, _target, _nested in _imports()}

    assert used >= EXCEPTIONS
