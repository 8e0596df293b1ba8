"""`companion --self-test`: can this installed or frozen Companion do its job on this computer?

Each check is a small function in CHECKS that returns a CheckResult; the command prints one line per check and
exits non-zero if any failed. A check that cannot be answered yet in this build says SKIP and does not fail.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TextIO

from companion import APP_ID
from companion.core.paths import AppPaths
from companion.core.store import Store


class Outcome(Enum):
    OK = "ok"
    FAIL = "FAIL"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    name: str
    outcome: Outcome
    detail: str


Check = Callable[[AppPaths], CheckResult]

# Every resource the code names by path; a missing one breaks a window or the bundle silently.
REQUIRED_RESOURCES = (
    ("icons", "companion.svg"),
    ("icons", "companion-break.svg"),
    ("icons", "companion-paused.svg"),
    (f"{APP_ID}.desktop",),
    ("io.github.companion.Companion.metainfo.xml",),
    ("locale", "en", "LC_MESSAGES", "companion.mo"),  # the catalogues (and with them every language) came along
    ("locale", "de", "LC_MESSAGES", "companion.mo"),
)


def check_resources(paths: AppPaths) -> CheckResult:
    from companion.resources import resources_root

    try:
        root = resources_root()
    except FileNotFoundError as error:
        return CheckResult("resources", Outcome.FAIL, str(error))
    missing = [str(Path(*parts)) for parts in REQUIRED_RESOURCES if not root.joinpath(*parts).is_file()]
    if missing:
        return CheckResult("resources", Outcome.FAIL, f"missing in {root}: {', '.join(missing)}")
    return CheckResult("resources", Outcome.OK, f"{len(REQUIRED_RESOURCES)} files present in {root}")


def check_keyring(paths: AppPaths) -> CheckResult:
    """A real keyring backend, found the way the tray app finds it: through the keyring helper process (in the
    bundle, its own executable's `keyring-helper` command), never keyring's fail backend or a plaintext one."""
    from companion.platform.keyring_helper import detect_secret_store_in_helper
    from companion.platform.keyring_store import NoSecretStore

    store = detect_secret_store_in_helper()
    if isinstance(store, NoSecretStore):
        return CheckResult("keyring", Outcome.FAIL, store.reason)
    return CheckResult("keyring", Outcome.OK, store.name)


def check_notifier(paths: AppPaths) -> CheckResult:
    """The notifier the app would use here (platform/notify.py chooses for both). Falling back to the tray balloon
    works, but the rep then misses most nudges (few desktops show balloons), so that fails, with the reason."""
    from companion.platform.notify import plyer_backend, why_no_backend

    reason = why_no_backend()
    if reason is not None:
        return CheckResult("notifier", Outcome.FAIL, f"only the tray balloon: {reason}")
    try:
        backend = plyer_backend()
    except Exception as error:  # a platform module missing from the bundle is what the check is for
        return CheckResult("notifier", Outcome.FAIL, f"plyer's notification module did not load: {error}")
    return CheckResult("notifier", Outcome.OK, f"plyer ({type(backend).__module__}.{type(backend).__name__})")


def check_idle_backend(paths: AppPaths) -> CheckResult:
    """The idle backend the app would choose here: choose_backends takes the first that choose_system_idle_source
    finds, as this does (not choose_backends itself, which would start every backend and need a Qt application).
    Only the last resort left, Companion's own windows, means breaks would ignore work in every other program and
    follow session time instead: that fails."""
    from companion.platform.idle import choose_system_idle_source, idle_candidates

    source = choose_system_idle_source()
    if source is None:
        tried = ", ".join(getattr(candidate, "__name__", str(candidate)) for candidate in idle_candidates())
        return CheckResult(
            "idle backend",
            Outcome.FAIL,
            f"no system-wide idle detection (tried {tried or 'nothing'}); only Companion's own windows would count",
        )
    try:
        seconds = source.seconds_since_last_input()
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
    since = "no answer on a second ask" if seconds is None else f"{seconds:.0f} s since the last input"
    return CheckResult("idle backend", Outcome.OK, f"{source.name}, {since}")


def check_database(paths: AppPaths) -> CheckResult:
    """The rep's database opens and passes its integrity check; with none yet, a new one can be made."""
    from companion.core.errors import CompanionError

    try:
        if paths.database.exists():
            store = Store.open(paths.database, recover_corrupt=False)
            where = str(paths.database)
            healthy, version = _probe(store)
        else:
            with tempfile.TemporaryDirectory(prefix="companion-selftest-") as scratch:
                store = Store.open(Path(scratch) / "companion.db")
                where = "a new database (none yet in the data folder)"
                healthy, version = _probe(store)
    except CompanionError as error:
        return CheckResult("database", Outcome.FAIL, error.message)
    if not healthy:
        return CheckResult("database", Outcome.FAIL, f"{where} failed its integrity check")
    return CheckResult("database", Outcome.OK, f"{where}, schema {version}")


def _probe(store: Store) -> tuple[bool, int]:
    try:
        return store.integrity_ok(), store.version
    finally:
        store.close()


def check_qt(paths: AppPaths) -> CheckResult:
    """Qt loads its platform plugin and draws the tray icon from its SVG (QtSvg and the image plugins)."""
    from PySide6.QtWidgets import QApplication

    from companion.ui.icons import svg_icon

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    icon = svg_icon("companion")
    if icon.isNull() or icon.pixmap(22, 22).toImage().pixelColor(11, 11).alpha() == 0:
        return CheckResult("qt", Outcome.FAIL, "the tray icon could not be drawn")
    return CheckResult("qt", Outcome.OK, f"{qapp.platformName()} platform, icon drawn")


CHECKS: list[Check] = [
    check_resources,
    check_keyring,
    check_notifier,
    check_idle_backend,
    check_database,
    check_qt,
]


def run_self_test(paths: AppPaths, out: TextIO = sys.stdout, checks: list[Check] | None = None) -> int:
    failed = False
    for check in CHECKS if checks is None else checks:
        try:
            result = check(paths)
        except Exception as error:  # a crashing check is a failed check, and the others still run
            result = CheckResult(
                check.__name__.removeprefix("check_"), Outcome.FAIL, f"{type(error).__name__}: {error}"
            )
        failed = failed or result.outcome is Outcome.FAIL
        print(f"{result.outcome.value:4} {result.name}: {result.detail}", file=out, flush=True)
    return 1 if failed else 0
