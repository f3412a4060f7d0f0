#!/usr/bin/env bash
# Back up the database with `flask backup` (consistent while the app serves) into BACKUP_DIR,
# keep the newest BACKUP_KEEP copies, and copy each to BACKUP_COPY_TO when that is mounted.
# Run daily by hotro-so-backup.timer; by hand: sudo -u hotro deploy/backup.sh
#
#   BACKUP_DIR      where the copies go (default /var/backups/hotro-so)
#   BACKUP_KEEP     how many to keep (default 14: two weeks of nights)
#   BACKUP_COPY_TO  a second place (a USB disk, a share); missing = a warning and exit code 3
#   DATABASE_URL    as the app reads it (empty: SQLite in instance/)
set -euo pipefail

APP_DIR="$(cd "$(dirname "$0")/.." && pwd)"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/hotro-so}"
KEEP="${BACKUP_KEEP:-14}"
FLASK="${FLASK:-$APP_DIR/.venv/bin/flask}"

case "$KEEP" in ''|*[!0-9]*|0) echo "backup.sh: BACKUP_KEEP must be a number of copies (1 or more)" >&2; exit 2 ;; esac
case "${DATABASE_URL:-}" in postgres*) ext=pgdump ;; *) ext=sqlite3 ;; esac

umask 077
mkdir -p "$BACKUP_DIR"
# Local time in the name: the officer looking for "last Tuesday's" copy reads Vietnamese days.
stamp="$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%d_%H%M%S)"
file="$BACKUP_DIR/hotro-so-$stamp.$ext"
(cd "$APP_DIR" && "$FLASK" --app wsgi backup "$file")
# The secret key goes with the copies: signed kiosk pairings and sessions depend on it.
if [ -f "$APP_DIR/instance/secret_key" ]; then
  cp "$APP_DIR/instance/secret_key" "$BACKUP_DIR/secret_key.tmp"
  chmod 600 "$BACKUP_DIR/secret_key.tmp"
  mv "$BACKUP_DIR/secret_key.tmp" "$BACKUP_DIR/secret_key"
fi

rotate() {  # keep the newest $KEEP backups in a folder (names sort by time)
  find "$1" -maxdepth 1 -name "hotro-so-*.$ext" -printf '%f\n' | sort -r | tail -n +"$((KEEP + 1))" |
    while read -r old; do rm -f -- "$1/$old"; echo "removed old backup $1/$old"; done
}
rotate "$BACKUP_DIR"
echo "backup written: $file ($(du -h "$file" | cut -f1))"

if [ -n "${BACKUP_COPY_TO:-}" ]; then
  if [ -d "$BACKUP_COPY_TO" ] && [ -w "$BACKUP_COPY_TO" ]; then
    cp -- "$file" "$BACKUP_COPY_TO/"
    [ -f "$BACKUP_DIR/secret_key" ] && cp -- "$BACKUP_DIR/secret_key" "$BACKUP_COPY_TO/"
    rotate "$BACKUP_COPY_TO"
    echo "copied to $BACKUP_COPY_TO"
  else
    echo "WARNING: BACKUP_COPY_TO=$BACKUP_COPY_TO is not a writable folder (disk not plugged in?); only $BACKUP_DIR holds the copy" >&2
    exit 3
  fi
fi
