"""`companion --self-test`: can this installed or frozen Companion do its job on this computer?

Each check is a small function in CHECKS that returns a CheckResult; the command prints one line per check and
exits non-zero if any failed. A check that cannot be answered yet in this build says SKIP and does not fail.
The outcome (ok, FAIL, skip) stays English for scripts; the check's name and its detail are in the rep's language.
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
from companion.core.i18n import N_, _, ngettext
from companion.core.paths import AppPaths
from companion.core.store import Store


class Outcome(Enum):
    OK = "ok"
    FAIL = "FAIL"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    name: str  # marked with N_ where the check names itself; translated when printed
    outcome: Outcome
    detail: str  # already in the rep's language


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
        return CheckResult(N_("resources"), Outcome.FAIL, str(error))
    missing = [str(Path(*parts)) for parts in REQUIRED_RESOURCES if not root.joinpath(*parts).is_file()]
    if missing:
        detail = _("missing in {root}: {missing}").format(root=root, missing=", ".join(missing))
        return CheckResult(N_("resources"), Outcome.FAIL, detail)
    count = len(REQUIRED_RESOURCES)
    present = ngettext("{count} file present in {root}", "{count} files present in {root}", count)
    return CheckResult(N_("resources"), Outcome.OK, present.format(count=count, root=root))


def check_keyring(paths: AppPaths) -> CheckResult:
    """A real keyring backend, found the way the tray app finds it: through the keyring helper process (in the
    bundle, its own executable's `keyring-helper` command), never keyring's fail backend or a plaintext one."""
    from companion.platform.keyring_helper import detect_secret_store_in_helper
    from companion.platform.keyring_store import NoSecretStore

    store = detect_secret_store_in_helper()
    if isinstance(store, NoSecretStore):
        return CheckResult(N_("keyring"), Outcome.FAIL, store.reason)
    return CheckResult(N_("keyring"), Outcome.OK, _(store.name))


def check_notifier(paths: AppPaths) -> CheckResult:
    """The notifier the app would use here (platform/notify.py chooses for both). Falling back to the tray balloon
    works, but the rep then misses most nudges (few desktops show balloons), so that fails, with the reason."""
    from companion.platform.notify import plyer_backend, why_no_backend

    reason = why_no_backend()
    if reason is not None:
        return CheckResult(N_("notifier"), Outcome.FAIL, _("only the tray balloon: {reason}").format(reason=reason))
    try:
        backend = plyer_backend()
    except Exception as error:  # a platform module missing from the bundle is what the check is for
        detail = _("plyer's notification module did not load: {error}").format(error=error)
        return CheckResult(N_("notifier"), Outcome.FAIL, detail)
    return CheckResult(N_("notifier"), Outcome.OK, f"plyer ({type(backend).__module__}.{type(backend).__name__})")


def check_idle_backend(paths: AppPaths) -> CheckResult:
    """The idle backend the app would choose here: choose_backends takes the first that choose_system_idle_source
    finds, as this does (not choose_backends itself, which would start every backend and need a Qt application).
    Only the last resort left, Companion's own windows, means breaks would ignore work in every other program and
    follow session time instead: that fails."""
    from companion.platform.idle import choose_system_idle_source, idle_candidates

    source = choose_system_idle_source()
    if source is None:
        tried = ", ".join(getattr(candidate, "__name__", str(candidate)) for candidate in idle_candidates())
        detail = (
            _("no system-wide idle detection (tried {tried}); only Companion's own windows would count").format(
                tried=tried
            )
            if tried
            else _("no system-wide idle detection (tried nothing); only Companion's own windows would count")
        )
        return CheckResult(N_("idle backend"), Outcome.FAIL, detail)
    try:
        seconds = source.seconds_since_last_input()
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
    detail = (
        _("{name}, no answer on a second ask").format(name=_(source.name))
        if seconds is None
        else _("{name}, {seconds} s since the last input").format(name=_(source.name), seconds=f"{seconds:.0f}")
    )
    return CheckResult(N_("idle backend"), Outcome.OK, detail)


def check_database(paths: AppPaths) -> CheckResult:
    """The rep's database opens and passes its integrity check; with none yet, a new one can be made."""
    from companion.core.errors import CompanionError

    try:
        if paths.database.exists():
            healthy, version = _probe(Store.open(paths.database, recover_corrupt=False))
            if not healthy:
                failed = _("{path} failed its integrity check").format(path=paths.database)
                return CheckResult(N_("database"), Outcome.FAIL, failed)
            detail = _("{path}, schema {version}").format(path=paths.database, version=version)
            return CheckResult(N_("database"), Outcome.OK, detail)
        with tempfile.TemporaryDirectory(prefix="companion-selftest-") as scratch:
            healthy, version = _probe(Store.open(Path(scratch) / "companion.db"))
    except CompanionError as error:
        return CheckResult(N_("database"), Outcome.FAIL, error.message)
    if not healthy:
        failed = _("a new database (none yet in the data folder) failed its integrity check")
        return CheckResult(N_("database"), Outcome.FAIL, failed)
    detail = _("a new database (none yet in the data folder), schema {version}").format(version=version)
    return CheckResult(N_("database"), Outcome.OK, detail)


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
        return CheckResult("qt", Outcome.FAIL, _("the tray icon could not be drawn"))
    return CheckResult("qt", Outcome.OK, _("{platform} platform, icon drawn").format(platform=qapp.platformName()))


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
        print(f"{result.outcome.value:4} {_(result.name)}: {result.detail}", file=out, flush=True)
    return 1 if failed else 0
