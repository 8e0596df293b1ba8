"""`make deb`: companion_<version>_amd64.deb from the PyInstaller bundle (dist/companion, `make bundle`).

The bundle carries its Python, PySide6 and Qt, so the package installs it whole under /usr/lib/companion and puts a
symlink at /usr/bin/companion. What the bundle takes from the system (libc, OpenGL/EGL, fontconfig, xkbcommon, the
xcb libraries Qt's X11 plugin loads...) is found by dpkg-shlibdeps, Debian's own tool for this: it reads every ELF
file's NEEDED entries, resolves the ones the bundle does not carry to the system's libraries and those to packages
and versions through their shlibs/symbols files. That list is the package's Depends, so
`apt-get install ./companion_*.deb` on a clean Debian 12 pulls in what Qt needs.

Also installed: the .desktop file, the icon in the hicolor theme (scalable SVG plus PNGs rendered from it now, with
rsvg-convert, at 16...256), the AppStream metainfo, a man page, the copyright file and a changelog. The desktop
database and icon caches are refreshed by dpkg triggers of desktop-file-utils and the icon theme, so no maintainer
script is needed for them. postrm tells the rep on remove that their data stays, and where.

    python packaging/build_deb.py [--bundle dist/companion] [--out dist]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = Path(__file__).resolve().parent
PACKAGE = "companion"
APP_ID = "io.github.companion.Companion"
INSTALL_DIR = Path("usr/lib/companion")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
MAINTAINER = "The Companion developers <companion@users.noreply.github.com>"
# What the bundle loads by name at run time rather than through NEEDED (so dpkg-shlibdeps cannot see it):
# Qt's X11 platform plugin needs the xcb-cursor library to start at all on Qt >= 6.5, and the app's idle backend
# and notifications use the screen-saver extension and notify-send. Fonts: Qt draws nothing without one.
EXTRA_DEPENDS = ("libxcb-cursor0", "libxss1", "libnotify-bin", "fonts-dejavu-core")
RECOMMENDS = ("gnome-keyring | kwalletmanager", "pulseaudio-utils")


def version() -> str:
    for line in (ROOT / "companion" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split('"')[1]
    raise SystemExit("no __version__ in companion/__init__.py")


def run(*command: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def shared_library_depends(staged_bundle: Path) -> str:
    """Depends for every library the bundle's ELF files need and the bundle does not carry (dpkg-shlibdeps).

    dpkg-shlibdeps is single-threaded and spends half a minute on the bundle's 200-odd ELF files, so they are split
    into one share per CPU, each read by its own dpkg-shlibdeps at the same time, and the shares' Depends are merged
    by dpkg's own Dpkg::Deps (the highest minimum version of each package wins, as in one run over all files)."""
    elves = elf_files(staged_bundle)
    library_dirs = sorted({str(path.parent) for path in elves if ".so" in path.name})
    shares = split_evenly(elves, len(os.sched_getaffinity(0)))
    with tempfile.TemporaryDirectory(prefix="companion-shlibdeps-") as scratch:
        work = Path(scratch)
        (work / "debian").mkdir()
        # dpkg-shlibdeps reads the source package's control file for nothing but its presence.
        (work / "debian" / "control").write_text(f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: amd64\n")
        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            outputs = list(pool.map(lambda share: shlibdeps(share, library_dirs, work), shares))
    return merge_depends(outputs)


def split_evenly(files: list[Path], count: int) -> list[list[Path]]:
    """`count` non-empty shares of about the same total size (the big Qt libraries take the longest to read)."""
    shares: list[list[Path]] = [[] for _ in range(max(1, min(count, len(files))))]
    sizes = [0] * len(shares)
    for path in sorted(files, key=lambda path: path.stat().st_size, reverse=True):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(path)
        sizes[smallest] += path.stat().st_size
    return shares


def shlibdeps(elves: list[Path], library_dirs: list[str], work: Path) -> str:
    output = run(
        "dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0",
        *(f"-l{directory}" for directory in library_dirs), *elves, cwd=work,
    )  # fmt: skip
    for line in output.splitlines():
        if line.startswith("shlibs:Depends="):
            return line.removeprefix("shlibs:Depends=")
    raise SystemExit(f"dpkg-shlibdeps gave no Depends:\n{output}")


def merge_depends(depends: list[str]) -> str:
    """One Depends from several, simplified and sorted the way dpkg-shlibdeps writes its own."""
    merge = (
        "use Dpkg::Deps; my $deps = deps_parse(join(', ', @ARGV)) or die 'unparsable Depends';"
        " $deps->simplify_deps(Dpkg::Deps::KnownFacts->new()); $deps->sort(); print $deps->output();"
    )
    return run("perl", "-e", merge, *depends).strip()


def render_icons(root: Path) -> None:
    svg = ROOT / "resources" / "icons" / "companion.svg"
    theme = root / "usr/share/icons/hicolor"
    (theme / "scalable/apps").mkdir(parents=True)
    shutil.copyfile(svg, theme / "scalable/apps/companion.svg")
    for size in ICON_SIZES:
        folder = theme / f"{size}x{size}/apps"
        folder.mkdir(parents=True)
        run("rsvg-convert", "--width", str(size), "--height", str(size), "--output", folder / "companion.png", svg)


def gzip_to(text: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0 and no name: the same input gives the same bytes (reproducible builds; lintian checks this)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))


def write_docs(root: Path, package_version: str) -> None:
    docs = root / "usr/share/doc" / PACKAGE
    docs.mkdir(parents=True)
    shutil.copyfile(PACKAGING / "debian" / "copyright", docs / "copyright")
    stamp = datetime.fromtimestamp(source_date_epoch(), UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    changelog = (
        f"{PACKAGE} ({package_version}) unstable; urgency=medium\n\n"
        f"  * Release {package_version}: see the project's README for what it does.\n\n"
        f" -- {MAINTAINER}  {stamp}\n"
    )
    gzip_to(changelog, docs / "changelog.gz")
    manual = (PACKAGING / "debian" / "companion.1").read_text(encoding="utf-8")
    gzip_to(manual.replace("@VERSION@", package_version), root / "usr/share/man/man1/companion.1.gz")


def source_date_epoch() -> int:
    """The last commit's time (or SOURCE_DATE_EPOCH): file dates in the package do not depend on when it was built."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return int(result.stdout.strip() or 0) if result.returncode == 0 else 0


def installed_size_kib(root: Path) -> int:
    return sum(path.lstat().st_size for path in root.rglob("*") if not path.is_dir()) // 1024 + 1


def control_file(package_version: str, depends: str, size: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {package_version}\n"
        "Architecture: amd64\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size}\n"
        f"Depends: {', '.join([depends, *EXTRA_DEPENDS])}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: utils\n"
        "Priority: optional\n"
        "Homepage: https://github.com/companion-app/companion\n"
        "Description: private tray companion for customer-service reps\n"
        " Companion sits in the system tray. It suggests a break when work has run\n"
        " long (from real keyboard and mouse activity), offers a short cooldown with\n"
        " a breathing exercise after a rough call, keeps an encrypted reflection\n"
        " journal and shows a weekly summary. Everything stays on the computer.\n"
    )


def stage(bundle: Path, root: Path, package_version: str) -> None:
    target = root / INSTALL_DIR
    target.parent.mkdir(parents=True)
    shutil.copytree(bundle, target, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/companion").symlink_to(Path("..") / INSTALL_DIR.relative_to("usr") / "companion")
    resources = ROOT / "resources"
    (root / "usr/share/applications").mkdir(parents=True)
    shutil.copyfile(resources / "companion.desktop", root / "usr/share/applications/companion.desktop")
    (root / "usr/share/metainfo").mkdir(parents=True)
    shutil.copyfile(resources / f"{APP_ID}.metainfo.xml", root / f"usr/share/metainfo/{APP_ID}.metainfo.xml")
    render_icons(root)
    write_docs(root, package_version)
    overrides = root / "usr/share/lintian/overrides"
    overrides.mkdir(parents=True)
    shutil.copyfile(PACKAGING / "debian" / "lintian-overrides", overrides / PACKAGE)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        # dpkg-deb keeps modes as they are, and the bundle has some 0700 files: 0755 for folders and programs,
        # 0644 for data and for shared libraries (they are not programs: lintian's shared-library-is-executable).
        if path.is_dir():
            path.chmod(0o755)
        elif ".so" in path.suffixes or not path.stat().st_mode & 0o111:
            path.chmod(0o644)
        else:
            path.chmod(0o755)


def build(bundle: Path, out: Path, fast: bool = False) -> Path:
    """The .deb in `out`; `fast` compresses with gzip -1 instead of xz (the tests: seconds instead of minutes)."""
    if not (bundle / "companion").is_file():
        raise SystemExit(f"no bundle at {bundle}: run `make bundle` first")
    package_version = version()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="companion-deb-") as scratch:
        root = Path(scratch) / "root"
        stage(bundle, root, package_version)
        depends = shared_library_depends(root / INSTALL_DIR)
        debian = root / "DEBIAN"
        debian.mkdir()
        (debian / "control").write_text(control_file(package_version, depends, installed_size_kib(root)))
        for script in ("postrm",):
            shutil.copyfile(PACKAGING / "debian" / script, debian / script)
            (debian / script).chmod(0o755)
        epoch = str(source_date_epoch())
        for path in [root, *root.rglob("*")]:
            os.utime(path, (int(epoch), int(epoch)), follow_symlinks=False)
        target = out / f"{PACKAGE}_{package_version}_amd64.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", *(["-Zgzip", "-z1"] if fast else ["-Zxz", "-z6"]), "--build",
             str(root), str(target)],
            check=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch}, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build companion_<version>_amd64.deb from the PyInstaller bundle.")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "companion")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--fast", action="store_true", help="gzip -1 instead of xz: bigger, built in seconds")
    args = parser.parse_args(argv)
    print(build(args.bundle.resolve(), args.out.resolve(), fast=args.fast))
    return 0


if __name__ == "__main__":
    sys.exit(main())
