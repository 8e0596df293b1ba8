"""What a rep installs: the .deb (apt-get install on this machine, then remove and purge) and the wheel (a fresh
virtual environment), each run from outside the source tree: --version, --self-test, menu entry, icons, metainfo.

Slow by nature (a PyInstaller build, a package build, an install), so each artefact is built once per session:
the bundle (conftest `frozen_bundle`, shared with the bundle's self-test), the .deb and the wheel. lintian reads
the .deb in the background while the package is installed and exercised. The .deb test installs into this
machine's /usr, as CI does, and purges it even when a check fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion import __version__
from companion.core.paths import AppPaths
from companion.core.store import Store
from tests import desktop
from tests.test_selftest import assert_all_pass, self_test_lines

REPO = Path(__file__).resolve().parent.parent
APT = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "-y", "-q"]
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)

pytestmark = [pytest.mark.slow, pytest.mark.package]


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def deb(frozen_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """companion_<version>_amd64.deb, packed from the session's one PyInstaller build (build.spec)."""
    for tool, package in (("dpkg-deb", "dpkg"), ("dpkg-shlibdeps", "dpkg-dev"), ("rsvg-convert", "librsvg2-bin")):
        desktop.need(tool, package)
    work = tmp_path_factory.mktemp("deb")
    package = run(
        [sys.executable, str(REPO / "packaging" / "build_deb.py"), "--fast", "--bundle", str(frozen_bundle),
         "--out", str(work)],
    )  # fmt: skip
    assert package.returncode == 0, package.stderr[-3000:]
    path = work / f"companion_{__version__}_amd64.deb"
    assert path.is_file()
    return path


@dataclass(frozen=True)
class BackgroundRun:
    process: subprocess.Popen[bytes]
    log: Path  # stdout and stderr, in a file: a full pipe would stop the process until someone read it

    def finish(self, timeout: float) -> tuple[int, str]:
        returncode = self.process.wait(timeout=timeout)
        return returncode, self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def lintian_run(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundRun]:
    """lintian on the .deb, started at once and read by the lintian test: its half-minute of reading binaries
    overlaps the install test, which asks for this fixture for that reason alone. Killed at the end if unread."""
    lintian = desktop.need("lintian", "lintian")
    explain = desktop.need("lintian-explain-tags", "lintian")
    # Only the tags `--fail-on error,warning` fails on: the checks that can only say info or pedantic (binaries/
    # spelling alone runs `strings` over every binary) change nothing the test asserts. Severities from lintian's
    # own profile, so the list follows the installed lintian.
    known = run([explain, "--list-tags"]).stdout.split()
    explained = run([explain, "--tags", *known]).stdout.splitlines()
    failing = [line[3:].strip() for line in explained if line[:3] in {"E: ", "W: "}]
    assert len(failing) > 500, explained[:20]  # a broken list would silently check nothing
    folder = tmp_path_factory.mktemp("lintian")
    (folder / "error-and-warning-tags").write_text("\n".join(failing) + "\n")
    with (folder / "lintian.log").open("wb") as log:
        process = subprocess.Popen(
            [lintian, "--tags-from-file", str(folder / "error-and-warning-tags"), "--fail-on", "error,warning",
             "--tag-display-limit", "0", str(deb)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    yield BackgroundRun(process, folder / "lintian.log")
    if process.poll() is None:
        process.kill()
    process.wait()


@pytest.fixture
def installed_deb(deb: Path, request: pytest.FixtureRequest) -> Iterator[list[Path]]:
    """The package installed with apt-get (which pulls in its Depends); purged afterwards, whatever happened."""
    # lintian reads the .deb while this test installs and runs it. Without lintian (a laptop) the lintian test
    # says so itself, and the install is tested all the same.
    with contextlib.suppress(pytest.skip.Exception):
        request.getfixturevalue("lintian_run")
    if os.geteuid() != 0:
        message = "installing the .deb needs root: run as root, or sudo apt-get install ./companion_*.deb by hand"
        pytest.fail(message) if desktop.IN_CI else pytest.skip(message)
    if run(["dpkg-query", "-W", "companion"]).returncode == 0:
        pytest.fail("a companion package is already installed here; remove it first (apt-get purge companion)")
    try:
        install = run([*APT, "install", "--no-install-recommends", str(deb)])
        assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
        listed = run(["dpkg-query", "-L", "companion"]).stdout.splitlines()
        yield [Path(line) for line in listed if line.strip() and line != "/."]
    finally:
        run([*APT, "purge", "companion"])


@pytest.mark.desktop
def test_the_deb_installs_runs_and_purges_without_a_trace(
    installed_deb: list[Path], secret_service: dict[str, str], tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"  # not the source tree: nothing may come from the repository
    outside.mkdir()
    version = run(["/usr/bin/companion", "--version"], cwd=outside)
    assert version.stdout.strip() == f"companion {__version__}", version.stderr

    returncode, lines = self_test_lines(["/usr/bin/companion"], secret_service, tmp_path / "data")
    assert_all_pass(returncode, lines)
    assert "/usr/lib/companion" in next(line for line in lines if line.startswith("ok   resources"))

    desktop_file = Path("/usr/share/applications/companion.desktop")
    metainfo = Path("/usr/share/metainfo/io.github.companion.Companion.metainfo.xml")
    hicolor = Path("/usr/share/icons/hicolor")
    assert desktop_file in installed_deb and metainfo in installed_deb
    validate = run([desktop.need("desktop-file-validate", "desktop-file-utils"), str(desktop_file)])
    assert validate.returncode == 0, validate.stdout + validate.stderr
    appstream = run([desktop.need("appstreamcli", "appstream"), "validate", "--no-net", str(metainfo)])
    assert appstream.returncode == 0, appstream.stdout + appstream.stderr
    assert (hicolor / "scalable/apps/companion.svg").is_file()
    for size in ICON_SIZES:
        icon = hicolor / f"{size}x{size}/apps/companion.png"
        assert icon.is_file()
        identify = run(["identify", "-format", "%wx%h", str(icon)])
        assert identify.stdout == f"{size}x{size}", identify.stderr
    assert Path("/usr/share/man/man1/companion.1.gz").is_file()
    assert Path("/usr/share/doc/companion/copyright").is_file()
    for locale in ("es", "pt_BR", "fr", "de"):
        assert Path(f"/usr/lib/companion/_internal/resources/locale/{locale}/LC_MESSAGES/companion.mo").is_file()

    rep = AppPaths.resolve(tmp_path / "data")  # a rep's data folder with a real database in it
    rep.ensure()
    Store.open(rep.database).close()
    status = run(["/usr/bin/companion", "--data-dir", str(rep.data), "status", "--json"], cwd=outside)
    assert status.returncode == 0 and '"schema_version"' in status.stdout, status.stdout + status.stderr
    rep_data = sorted((tmp_path / "data").rglob("*"))
    remove = run([*APT, "remove", "companion"])
    assert remove.returncode == 0, remove.stderr
    assert "~/.local/share/companion" in remove.stdout  # postrm says where the rep's data stays
    purge = run([*APT, "purge", "companion"])
    assert purge.returncode == 0, purge.stderr
    assert run(["dpkg-query", "-W", "companion"]).returncode != 0
    assert sorted((tmp_path / "data").rglob("*")) == rep_data  # removing and purging left the rep's data alone
    shared = {Path("/usr"), Path("/usr/bin"), Path("/usr/lib"), Path("/usr/share")}
    left = [path for path in installed_deb if path not in shared and (path.exists() or path.is_symlink())]
    # folders other packages share (usr/share/icons/hicolor/16x16/apps...) stay while another package uses them
    left = [path for path in left if not (path.is_dir() and run(["dpkg-query", "-S", str(path)]).returncode == 0)]
    assert left == []


def test_the_deb_declares_the_qt_system_libraries(deb: Path) -> None:
    depends = run(["dpkg-deb", "-f", str(deb), "Depends"]).stdout
    for package in ("libc6", "libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3",
                    "libxcb-cursor0", "libxkbcommon-x11-0", "libglib2.0-0"):  # fmt: skip
        assert package in depends, depends


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(REPO)])
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    wheels = list(out.glob(f"companion-{__version__}-py3-none-any.whl"))
    assert len(wheels) == 1, list(out.iterdir())
    assert list(out.glob(f"companion-{__version__}.tar.gz"))
    return wheels[0]


@pytest.mark.desktop
def test_the_wheel_in_a_fresh_environment_gives_a_working_command(
    wheel: Path, secret_service: dict[str, str], tmp_path: Path
) -> None:
    environment = tmp_path / "venv"
    # Fresh and empty, as pipx makes them: pipx installs with one shared pip instead of seeding each environment
    # with its own (ensurepip alone took several seconds here), and so does this test, with the running pip.
    venv.EnvBuilder(with_pip=False).create(environment)
    install = run(
        [sys.executable, "-m", "pip", "--python", str(environment / "bin" / "python"), "install", "--quiet",
         str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    command = environment / "bin" / "companion"
    version = run([str(command), "--version"], cwd=tmp_path)
    assert version.stdout.strip() == f"companion {__version__}", version.stderr

    returncode, lines = self_test_lines([str(command)], secret_service, tmp_path / "data")
    assert_all_pass(returncode, lines)
    resources_line = next(line for line in lines if line.startswith("ok   resources"))
    assert str(environment) in resources_line  # found inside the installed package, not in this source tree
    assert str(REPO) not in resources_line
    catalogue = run(
        [str(environment / "bin" / "python"), "-c",
         "from companion.core import i18n; i18n.activate('de'); print(i18n._('Language'))"],
        cwd=tmp_path,
    )  # fmt: skip
    assert catalogue.stdout.strip() == "Sprache", catalogue.stderr
    shutil.rmtree(environment)


# Last in the file: by now lintian, started with the .deb, has been reading it while the tests above ran.
def test_the_deb_is_lintian_clean_or_each_tag_is_explained(lintian_run: BackgroundRun) -> None:
    returncode, output = lintian_run.finish(timeout=600)
    problems = [line for line in output.splitlines() if line[:2] in {"E:", "W:"}]
    assert problems == [], "\n".join(problems)
    assert returncode == 0, output[-4000:]
