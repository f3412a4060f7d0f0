#!/bin/bash
# Turn a Debian 12 or Ubuntu 24.04 PC into the centre's kiosk or waiting-room TV: at power-on it
# logs the unprivileged user "kiosk" in on tty1, starts X and Chromium full screen on the app,
# never blanks the screen, never sleeps, and starts the browser again if it exits.
#
# Run as root, from this folder (it installs kiosk-browser and kiosk-session from here):
#   ./install-kiosk.sh --server http://192.168.1.10:8000 --role kiosk \
#       --printer TICKETS --printer-uri usb://... --printer-ppd /path/to/printer.ppd
#   ./install-kiosk.sh --server http://192.168.1.10:8000 --role tv --site DEMO [--desks 1,2]
#
# Options:
#   --server URL           the app's address on the LAN (required)
#   --role kiosk|tv        the citizen touchscreen, or the waiting-room board (required)
#   --site CODE            the centre's code (required for tv)
#   --desks 1,2            tv: show only these desks (a big centre splits its desks over two TVs)
#   --printer NAME         kiosk: create this CUPS queue and make it the default printer
#   --printer-uri URI      its device: usb://… (see `lpinfo -v`) or socket://192.168.1.50:9100
#   --printer-ppd FILE     its driver's PPD file (from the printer maker's Linux driver), or
#   --printer-model MODEL  a driver CUPS already knows (`lpinfo -m`); "raw" only for a printer
#                          that prints PDF itself (Chromium sends PDF)
#   --dry-run              print every step instead of doing it; files go under --root if given
#   --root DIR             write the files under DIR instead of / (with --dry-run: for tests)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIOSK_USER=kiosk
KIOSK_HOME=/home/$KIOSK_USER
SERVER="" ROLE="" SITE="" DESKS="" PRINTER="" PRINTER_URI="" PRINTER_PPD="" PRINTER_MODEL=""
DRY_RUN=0 ROOT=""

die() { echo "install-kiosk: $*" >&2; exit 2; }
say() { echo "==> $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER="${2:-}"; shift 2 ;;
    --role) ROLE="${2:-}"; shift 2 ;;
    --site) SITE="${2:-}"; shift 2 ;;
    --desks) DESKS="${2:-}"; shift 2 ;;
    --printer) PRINTER="${2:-}"; shift 2 ;;
    --printer-uri) PRINTER_URI="${2:-}"; shift 2 ;;
    --printer-ppd) PRINTER_PPD="${2:-}"; shift 2 ;;
    --printer-model) PRINTER_MODEL="${2:-}"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --root) ROOT="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# Check everything before changing anything.
[[ "$SERVER" =~ ^https?://[^[:space:]/]+(/[^[:space:]]*)?$ ]] || die "--server must be like http://192.168.1.10:8000"
SERVER="${SERVER%/}"
case "$ROLE" in
  kiosk|tv) ;;
  *) die "--role must be kiosk or tv" ;;
esac
if [ "$ROLE" = tv ]; then
  [[ "$SITE" =~ ^[A-Za-z0-9_-]+$ ]] || die "--role tv needs --site CODE (letters, digits, - or _)"
fi
[ -z "$DESKS" ] || [[ "$DESKS" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--desks must be like 1,2"
if [ -n "$PRINTER" ]; then
  [[ "$PRINTER" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--printer NAME: letters, digits, '.', '-' or '_' only"
  [ -n "$PRINTER_URI" ] || die "--printer needs --printer-uri (see: lpinfo -v)"
  [ -n "$PRINTER_PPD$PRINTER_MODEL" ] || die "--printer needs --printer-ppd FILE or --printer-model MODEL: a thermal printer does not print Chromium's PDF by itself"
  [ -z "$PRINTER_PPD" ] || [ -z "$PRINTER_MODEL" ] || die "give --printer-ppd or --printer-model, not both"
  [ -z "$PRINTER_PPD" ] || [ "$DRY_RUN" = 1 ] || [ -r "$PRINTER_PPD" ] || die "cannot read $PRINTER_PPD"
elif [ -n "$PRINTER_URI$PRINTER_PPD$PRINTER_MODEL" ]; then
  die "--printer-uri, --printer-ppd and --printer-model go with --printer NAME"
fi
[ "$DRY_RUN" = 1 ] || [ "$(id -u)" = 0 ] || die "run as root (sudo $0 …)"
[ -z "$ROOT" ] || [ "$DRY_RUN" = 1 ] || die "--root is for --dry-run only"

run() {
  # Do a step, or only print it with --dry-run.
  if [ "$DRY_RUN" = 1 ]; then
    printf '+'; printf ' %q' "$@"; echo
  else
    "$@"
  fi
}

put() {
  # Write stdin to a file (under --root when given) with a mode; print it with a bare --dry-run.
  local path="$1" mode="$2" target="$ROOT$1"
  if [ "$DRY_RUN" = 1 ] && [ -z "$ROOT" ]; then
    echo "+ write $path (mode $mode):"; sed 's/^/    /'
    return
  fi
  mkdir -p "$(dirname "$target")"
  cat > "$target"
  chmod "$mode" "$target"
  echo "+ wrote $path"
}

copy() {
  # Install one of this kit's files (under --root when given); name it only with a bare --dry-run.
  local source="$1" path="$2" mode="$3"
  if [ "$DRY_RUN" = 1 ] && [ -z "$ROOT" ]; then
    printf '+ install -m %s %q %q\n' "$mode" "$source" "$path"
    return
  fi
  put "$path" "$mode" < "$source"
}

browser_package() {
  # Debian ships "chromium"; on Ubuntu "chromium-browser" installs the Chromium snap.
  local names=""
  # shellcheck source=/dev/null
  [ -r /etc/os-release ] && names="$(. /etc/os-release && echo "${ID:-} ${ID_LIKE:-}")"
  case " $names " in
    *" ubuntu "*) echo chromium-browser ;;
    *) echo chromium ;;
  esac
}

packages() {
  echo "$(browser_package) xserver-xorg xinit x11-xserver-utils openbox unclutter curl fonts-dejavu-core"
  if [ "$ROLE" = tv ]; then echo "pipewire-pulse wireplumber pulseaudio-utils alsa-utils"; fi
  if [ -n "$PRINTER" ]; then echo "cups"; fi
}

say "1/6 Packages"
run env DEBIAN_FRONTEND=noninteractive apt-get update
# shellcheck disable=SC2046  # one word per package
run env DEBIAN_FRONTEND=noninteractive apt-get install -y $(packages)

say "2/6 The kiosk user (no password: it can only be logged in on the screen, by autologin)"
if [ "$DRY_RUN" = 1 ] || ! id "$KIOSK_USER" >/dev/null 2>&1; then
  run useradd --create-home --shell /bin/bash --comment "Kiosk browser" "$KIOSK_USER"
fi
run usermod -a -G audio,video "$KIOSK_USER"

say "3/6 Browser, its settings and the X session"
copy "$HERE/kiosk-browser" /usr/local/bin/kiosk-browser 755
copy "$HERE/kiosk-session" /usr/local/bin/kiosk-session 755
put /etc/default/kiosk-browser 644 <<EOF
# The kiosk browser's settings (written by install-kiosk.sh). After a change: sudo reboot.
SERVER="$SERVER"
ROLE="$ROLE"
SITE="$SITE"
DESKS="$DESKS"
# The browser profile: it keeps the kiosk's pairing cookie across reboots. Do not delete it.
PROFILE_DIR="$KIOSK_HOME/kiosk-profile"
# Empty: chromium or chromium-browser, whichever is installed.
BROWSER=""
# Seconds to wait at start-up for the server to answer before opening the page anyway.
WAIT_SECONDS=60
# More Chromium switches, space-separated (e.g. --force-device-scale-factor=1.25).
EXTRA_FLAGS=""
# Turn the picture for a portrait TV: left or right (empty: as the screen is).
ROTATE=""
EOF
for dir in /etc/chromium/policies/managed /etc/chromium-browser/policies/managed; do
  put "$dir/kiosk.json" 644 <<'EOF'
{
  "TranslateEnabled": false,
  "PasswordManagerEnabled": false,
  "PrintPreviewUseSystemDefaultPrinter": true
}
EOF
done
put "$KIOSK_HOME/.bash_profile" 644 <<'EOF'
# Written by install-kiosk.sh: on tty1 (autologin) start the kiosk's X session; elsewhere a shell.
# X's own screen saver and power saving are off too (-s 0 -dpms), not only xset's.
[ -f "$HOME/.profile" ] && . "$HOME/.profile"
if [ -z "${DISPLAY:-}" ] && [ "$(tty)" = /dev/tty1 ]; then
  exec startx /usr/local/bin/kiosk-session -- -nolisten tcp -s 0 -dpms
fi
EOF
run chown "$KIOSK_USER:$KIOSK_USER" "$ROOT$KIOSK_HOME/.bash_profile"

say "4/6 Autologin on tty1, text boot (no desktop login screen)"
put /etc/systemd/system/getty@tty1.service.d/autologin.conf 644 <<EOF
# Written by install-kiosk.sh: log $KIOSK_USER in on tty1 at boot; its .bash_profile starts X.
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin $KIOSK_USER --noclear %I \$TERM
EOF
run systemctl set-default multi-user.target
run systemctl daemon-reload

say "5/6 Never sleep"
run systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target
put /etc/systemd/logind.conf.d/kiosk.conf 644 <<'EOF'
# Written by install-kiosk.sh: a kiosk never suspends, whatever button or lid is touched.
[Login]
HandleSuspendKey=ignore
HandleHibernateKey=ignore
HandleLidSwitch=ignore
HandleLidSwitchExternalPower=ignore
IdleAction=ignore
EOF

say "6/6 Printer"
if [ -n "$PRINTER" ]; then
  run systemctl enable --now cups
  if [ -n "$PRINTER_PPD" ]; then
    run lpadmin -p "$PRINTER" -E -v "$PRINTER_URI" -P "$PRINTER_PPD"
  else
    run lpadmin -p "$PRINTER" -E -v "$PRINTER_URI" -m "$PRINTER_MODEL"
  fi
  # --kiosk-printing prints to the default printer without a dialog: the server's default, and
  # the default in /etc/cups/lpoptions that every user (the kiosk too) starts from.
  run lpadmin -d "$PRINTER"
  run lpoptions -d "$PRINTER"
else
  echo "no printer given: skipped"
fi

say "Done. Reboot to start the $ROLE: sudo reboot"
if [ "$ROLE" = kiosk ]; then
  echo "Then pair it once: an administrator registers it at $SERVER/admin/kiosks and types the"
  echo "8-character code on the kiosk's screen (plug in a keyboard for that)."
fi
