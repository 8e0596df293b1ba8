"""The menu entry and the AppStream metainfo in resources/ are valid for the tools distributions use."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

from companion.resources import resource_path
from companion.selftest import REQUIRED_RESOURCES
from tests import desktop

METAINFO = "io.github.companion.Companion.metainfo.xml"


def test_appstream_metainfo_validates() -> None:
    appstreamcli = desktop.need("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", "--pedantic", str(resource_path(METAINFO))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_launches_the_menu_entry_that_exists() -> None:
    component = ET.parse(resource_path(METAINFO)).getroot()
    launchable = component.findtext("launchable")
    assert launchable is not None
    assert resource_path(launchable).is_file()


def test_every_resource_the_self_test_names_exists() -> None:
    for parts in REQUIRED_RESOURCES:
        assert resource_path(*parts).is_file()


def test_the_metainfo_describes_the_version_being_built() -> None:
    """The version has one source (companion/__init__.py); a new one needs its release note in the metainfo."""
    from companion import __version__

    releases = ET.parse(resource_path(METAINFO)).getroot().find("releases")
    assert releases is not None
    assert releases[0].get("version") == __version__
