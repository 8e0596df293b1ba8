#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Companion needs: `run` for the app, `test` for the test suite too.
# As root with apt-get it installs what is missing; otherwise it prints the command to run.
set -euo pipefail
what=${1:-run}

RUN_PACKAGES="python3-venv libgl1 libegl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxss1 fonts-dejavu-core pulseaudio-utils libnotify-bin"
TEST_PACKAGES="xvfb x11-utils trayer xdotool imagemagick dbus dunst gnome-keyring pulseaudio poppler-utils
  desktop-file-utils appstream chromium binutils faketime sqlite3 sway wtype waybar mutter kwin-wayland openbox wmctrl
  dconf-service dconf-cli gsettings-desktop-schemas gnome-settings-daemon-common libglib2.0-bin xfconf libxfconf-0-3
  dpkg-dev lintian librsvg2-bin gnome-shell gnome-shell-extension-appindicator mako-notifier jq
  sway-notification-center"

packages=$RUN_PACKAGES
[ "$what" = test ] && packages="$RUN_PACKAGES $TEST_PACKAGES"

missing=()
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
else
  echo "Companion needs these system packages: ${missing[*]}"
  echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
  [ "$what" = test ] || exit 0  # the app itself explains what it misses
fi

# dunst, mako and swaync each ship a D-Bus activation file for org.freedesktop.Notifications, and dbus-daemon takes
# whichever its directory listing yields first. The tests start the daemon they test themselves; mako's and swaync's
# files are set aside so that a bus which activates a notification server on demand still gets dunst, on every
# machine.
if [ "$what" = test ] && [ "$(id -u)" = 0 ]; then
  for service in fr.emersion.mako org.erikreider.swaync; do
    file=/usr/share/dbus-1/services/$service.service
    if [ -e "$file" ]; then
      dpkg-divert --quiet --local --rename --divert "$file.companion-tests" --add "$file"
    fi
  done
fi
