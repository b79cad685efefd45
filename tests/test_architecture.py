"""The import-linter contracts of pyproject.toml ([tool.importlinter]) hold, and they bite:
a copy of the tree with one import against the direction fails them."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "forum", "moderation", "erfaringsforum")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Moved out of the forum app by the benchmark/demo rework (bench/ and moderation); until
# that lands they are the only imports against the direction, and only they are ignored.
PENDING_MOVES = (
    "forum.demo -> moderation.*",
    "forum.benchdata -> moderation.*",
    "forum.management.commands.seed_benchmark -> moderation.*",
)


def _config(ignore: tuple[str, ...] = ()) -> str:
    """The project's import-linter section as a config file of its own (TOML)."""
    linter = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]", f"root_packages = {list(linter['root_packages'])!r}"]
    for contract in linter["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            lines.append(f"{key} = {value!r}")
        if ignore and contract["type"] == "layers":
            lines.append(f"ignore_imports = {list(ignore)!r}")
            lines.append('unmatched_ignore_imports_alerting = "none"')
    return "\n".join(lines).replace("'", '"') + "\n"


def _lint(tree: Path, config: str, tmp_path: Path) -> subprocess.CompletedProcess:
    config_file = tmp_path / "importlinter.toml"
    config_file.write_text(config)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config_file)],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The four packages' Python files, copied (import-linter only parses them)."""
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tree / package,
            ignore=lambda _dir, names: [
                n for n in names if not (n.endswith(".py") or (Path(_dir) / n).is_dir())
            ],
        )
    return tree


def test_the_project_keeps_its_import_contracts(tmp_path):
    result = _lint(ROOT, _config(ignore=PENDING_MOVES), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_import_against_the_direction_fails_the_contract(tree_copy, tmp_path):
    assert _lint(tree_copy, _config(ignore=PENDING_MOVES), tmp_path).returncode == 0
    (tree_copy / "forum" / "upward.py").write_text("from moderation import querysets\n")
    result = _lint(tree_copy, _config(ignore=PENDING_MOVES), tmp_path)
    assert result.returncode != 0
    assert "forum.upward -> moderation.querysets" in result.stdout


def test_a_local_import_against_the_direction_fails_too(tree_copy, tmp_path):
    (tree_copy / "accounts" / "upward.py").write_text(
        "def later():\n    from forum import models\n\n    return models\n"
    )
    result = _lint(tree_copy, _config(ignore=PENDING_MOVES), tmp_path)
    assert result.returncode != 0
    assert "accounts.upward -> forum.models" in result.stdout


def test_the_shared_plumbing_may_import_no_app(tree_copy, tmp_path):
    db = tree_copy / "erfaringsforum" / "db.py"
    db.write_text(db.read_text() + "\nfrom accounts import models as _models  # noqa\n")
    result = _lint(tree_copy, _config(ignore=PENDING_MOVES), tmp_path)
    assert result.returncode != 0
    assert "erfaringsforum.db" in result.stdout and "BROKEN" in result.stdout


def test_the_extension_point_holds_moderations_contributions_once():
    """moderation/extensions.py registers through forum/extensions.py (ModerationConfig.ready);
    registering again (a second ready()) adds nothing, so the forum's reads keep their
    shape."""
    from forum import extensions
    from moderation import extensions as moderation_extensions

    before = {read: extensions.columns(read) for read in (extensions.VIEWER, extensions.THREAD,
                                                          extensions.POST)}  # fmt: skip
    assert all(len(columns) == 1 for columns in before.values())
    moderation_extensions.register()
    assert before == {read: extensions.columns(read) for read in before}
    assert extensions.sql("thread_has_clarified", "FALSE", thread="th") != "FALSE"
