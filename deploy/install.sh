#!/usr/bin/env bash
# Install the app on a Debian 12 / Ubuntu 24.04 server: gunicorn under systemd, nginx in front,
# a daily backup timer, log rotation. Run as root from the app's folder (e.g. /srv/hotro-so):
#
#   sudo deploy/install.sh --public-url http://192.168.1.10          # one centre, SQLite
#   sudo deploy/install.sh --parts app --bind 0.0.0.0:8000 --trusted-proxy 10.0.0.10 \
#        --database-url postgresql://hotro@db.internal/hotro          # a city's app server
#   sudo deploy/install.sh --parts nginx --upstream 10.0.0.11:8000 \
#        --upstream 10.0.0.12:8000 --public-url https://hotro.city.gov.vn \
#        --tls-cert /etc/ssl/hotro.pem --tls-key /etc/ssl/hotro.key   # a city's proxy
#
# --dest DIR only writes the files under DIR (nothing installed, started or asked): the tests
# use it, and so can an officer who wants to read what would be written. See docs/DEPLOY.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
APP_DIR="$(dirname "$HERE")"
APP_USER=hotro
PARTS=app,nginx,backup
PUBLIC_URL=""
DATABASE_URL=""
BIND=""
TRUSTED_PROXY=127.0.0.1
UPSTREAMS=()
LISTEN=80
LISTEN_TLS=443
SERVER_NAME=_
TLS_CERT=""
TLS_KEY=""
CONFIG_DIR=/etc/hotro-so
BACKUP_DIR=/var/backups/hotro-so
LOG_DIR=/var/log/hotro-so
DEST=""

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) APP_DIR="$2"; shift 2 ;;
    --user) APP_USER="$2"; shift 2 ;;
    --parts) PARTS="$2"; shift 2 ;;
    --public-url) PUBLIC_URL="$2"; shift 2 ;;
    --database-url) DATABASE_URL="$2"; shift 2 ;;
    --bind) BIND="$2"; shift 2 ;;
    --trusted-proxy) TRUSTED_PROXY="$2"; shift 2 ;;
    --upstream) UPSTREAMS+=("$2"); shift 2 ;;
    --listen) LISTEN="$2"; shift 2 ;;
    --listen-tls) LISTEN_TLS="$2"; shift 2 ;;
    --server-name) SERVER_NAME="$2"; shift 2 ;;
    --tls-cert) TLS_CERT="$2"; shift 2 ;;
    --tls-key) TLS_KEY="$2"; shift 2 ;;
    --config-dir) CONFIG_DIR="$2"; shift 2 ;;
    --backup-dir) BACKUP_DIR="$2"; shift 2 ;;
    --log-dir) LOG_DIR="$2"; shift 2 ;;
    --dest) DEST="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage 2 ;;
  esac
done

has_part() { case ",$PARTS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

if [ -n "$TLS_CERT" ] || [ -n "$TLS_KEY" ]; then
  [ -n "$TLS_CERT" ] && [ -n "$TLS_KEY" ] || die "--tls-cert and --tls-key go together"
fi
# The app listens on loopback when nginx is on the same machine, else where it is told.
if [ -z "$BIND" ]; then
  if has_part nginx; then BIND=127.0.0.1:8000; else BIND=0.0.0.0:8000; fi
fi
[ ${#UPSTREAMS[@]} -gt 0 ] || UPSTREAMS=("${BIND/0.0.0.0/127.0.0.1}")
if [ -z "$PUBLIC_URL" ] && [ -z "$DEST" ]; then
  address="$(hostname -I 2>/dev/null | awk '{print $1}')"
  if [ -n "$TLS_CERT" ]; then scheme=https; else scheme=http; fi
  [ -n "$address" ] && PUBLIC_URL="$scheme://$address"
  say "PUBLIC_URL not given: phones will be sent to ${PUBLIC_URL:-nowhere}; set it in $CONFIG_DIR/env if they use another address"
fi

# Paths of installed files: under --dest when given (the app folder itself stays where it is).
ETC="$DEST/etc"
CONFIG="$DEST$CONFIG_DIR"
BACKUPS="$DEST$BACKUP_DIR"
LOGS="$DEST$LOG_DIR"
SNIPPETS="$ETC/nginx/snippets"

render() {  # render TEMPLATE > OUT: replace every @NAME@ setting
  local upstream_lines="" tls_suffix=""
  for u in "${UPSTREAMS[@]}"; do upstream_lines+="    server $u max_fails=2 fail_timeout=5s;"$'\n'; done
  [ "$LISTEN_TLS" = 443 ] || tls_suffix=":${LISTEN_TLS##*:}"
  UPSTREAM_LINES="${upstream_lines%$'\n'}" TLS_SUFFIX="$tls_suffix" \
  APP_DIR="$APP_DIR" APP_USER="$APP_USER" CONFIG_DIR="$CONFIG" BACKUP_DIR="$BACKUPS" \
  LOG_DIR="$LOGS" SNIPPETS_DIR="$SNIPPETS" LISTEN="$LISTEN" LISTEN_TLS="$LISTEN_TLS" \
  SERVER_NAME="$SERVER_NAME" TLS_CERT="$TLS_CERT" TLS_KEY="$TLS_KEY" \
  python3 - "$1" <<'PY'
import os, re, sys
names = {"UPSTREAM_SERVERS": "UPSTREAM_LINES", "TLS_PORT_SUFFIX": "TLS_SUFFIX"}
text = open(sys.argv[1], encoding="utf-8").read()
def value(match):
    key = names.get(match.group(1), match.group(1))
    if key not in os.environ:
        sys.exit(f"install.sh: {sys.argv[1]} names an unknown setting @{match.group(1)}@")
    return os.environ[key]
sys.stdout.write(re.sub(r"@([A-Z_]+)@", value, text))
PY
}

write() {  # write MODE OUT < content
  mkdir -p "$(dirname "$2")"
  cat > "$2.tmp"
  chmod "$1" "$2.tmp"
  mv "$2.tmp" "$2"
  say "wrote $2"
}

env_file() {
  cat <<EOF
# Settings of the app, read by hotro-so.service, the backup timer and the hotro-so command.
# Written by deploy/install.sh; edit, then: systemctl restart hotro-so. See docs/DEPLOY.md.
BIND=$BIND
# The address phones reach this server by (guest Wi-Fi or public name): every ticket's QR code.
PUBLIC_URL=$PUBLIC_URL
# Empty: SQLite in $APP_DIR/instance/. A city: postgresql://user@host/db (the same on every server).
DATABASE_URL=$DATABASE_URL
# nginx in front: its X-Forwarded-For/-Proto are believed when they come from FORWARDED_ALLOW_IPS
# (the proxy's address), so the sign-in throttle and /metrics see the real client.
PROXY_COUNT=1
FORWARDED_ALLOW_IPS=$TRUSTED_PROXY
SESSION_COOKIE_SECURE=$([ -n "$TLS_CERT" ] && echo 1 || echo 0)
# text, or json (one JSON object a line: journalctl -u hotro-so -o cat | jq).
LOG_FORMAT=text
# Workers: empty = 2 × cores + 1 (at most 8). Backups kept: the newest BACKUP_KEEP.
WEB_CONCURRENCY=
BACKUP_KEEP=14
# A copy of each backup elsewhere (a USB disk or a share), if mounted: BACKUP_COPY_TO=/mnt/usb
BACKUP_COPY_TO=
# METRICS_TOKEN=…  lets Prometheus read /metrics from outside the LAN (Authorization: Bearer …)
EOF
}

cli_wrapper() {
  cat <<EOF
#!/bin/sh
# The app's commands, as its own user and with its settings: sudo hotro-so create-user …
if [ "\$(id -un)" != "$APP_USER" ]; then exec runuser -u "$APP_USER" -- "\$0" "\$@"; fi
set -a
. "$CONFIG/env"
set +a
cd "$APP_DIR" || exit 1
exec .venv/bin/flask --app wsgi "\$@"
EOF
}

write_files() {
  if [ -e "$CONFIG/env" ] && [ -z "$DEST" ]; then
    say "kept $CONFIG/env (already there; delete it to write a new one)"
  else
    env_file | write 640 "$CONFIG/env"
  fi
  if has_part app; then
    render "$HERE/systemd/hotro-so.service" | write 644 "$ETC/systemd/system/hotro-so.service"
    cli_wrapper | write 755 "$DEST/usr/local/bin/hotro-so"
  fi
  if has_part backup; then
    render "$HERE/systemd/hotro-so-backup.service" | write 644 "$ETC/systemd/system/hotro-so-backup.service"
    render "$HERE/systemd/hotro-so-backup.timer" | write 644 "$ETC/systemd/system/hotro-so-backup.timer"
    mkdir -p "$BACKUPS"
  fi
  if has_part nginx; then
    local site="$HERE/nginx/hotro-so-site.conf"
    [ -n "$TLS_CERT" ] && site="$HERE/nginx/hotro-so-site-tls.conf"
    { render "$HERE/nginx/hotro-so-common.conf"; echo; render "$site"; } \
      | write 644 "$ETC/nginx/sites-available/hotro-so"
    render "$HERE/nginx/hotro-so-proxy.conf" | write 644 "$SNIPPETS/hotro-so-proxy.conf"
    render "$HERE/logrotate/hotro-so" | write 644 "$ETC/logrotate.d/hotro-so"
    mkdir -p "$LOGS"
  fi
}

if [ -n "$DEST" ]; then
  write_files
  exit 0
fi

[ "$(id -u)" = 0 ] || die "run as root (sudo), or with --dest DIR to only write the files"
[ -f "$APP_DIR/wsgi.py" ] || die "$APP_DIR is not the app's folder (no wsgi.py)"

say "packages"
packages=(python3 python3-venv make sqlite3 curl)
has_part nginx && packages+=(nginx)
case "$DATABASE_URL" in postgres*) packages+=(postgresql-client) ;; esac
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null

if has_part app || has_part backup; then
  say "user $APP_USER"
  id "$APP_USER" >/dev/null 2>&1 || useradd --system --home-dir "$APP_DIR" --shell /usr/sbin/nologin "$APP_USER"
  mkdir -p "$APP_DIR/instance" "$BACKUP_DIR"
  chown -R "$APP_USER:$APP_USER" "$APP_DIR/instance" "$BACKUP_DIR"
  chmod 700 "$BACKUP_DIR"
fi

write_files
chown "root:$APP_USER" "$CONFIG/env" 2>/dev/null || true

if has_part app; then
  say "virtual environment and dependencies (from the lock file, hashes checked)"
  make -C "$APP_DIR" setup PYTHON=python3 >/dev/null
  say "database migrations"
  /usr/local/bin/hotro-so db upgrade
  systemctl daemon-reload
  systemctl enable --now hotro-so.service
fi
if has_part backup; then
  systemctl daemon-reload
  systemctl enable --now hotro-so-backup.timer
fi
if has_part nginx; then
  ln -sf /etc/nginx/sites-available/hotro-so /etc/nginx/sites-enabled/hotro-so
  rm -f /etc/nginx/sites-enabled/default
  nginx -t
  systemctl enable nginx
  systemctl reload nginx || systemctl restart nginx
fi

say "checking the deployment"
if has_part nginx; then url="http://127.0.0.1:${LISTEN##*:}"; else url="http://${BIND/0.0.0.0/127.0.0.1}"; fi
[ -n "$TLS_CERT" ] && url="https://127.0.0.1:${LISTEN_TLS##*:}" && export SMOKE_INSECURE=1
sleep 2
"$HERE/smoke.sh" "$url" || die "the smoke check failed: journalctl -u hotro-so -n 50"
say "done. Next: docs/GO-LIVE.md (sudo hotro-so create-site …, create-user …)"
