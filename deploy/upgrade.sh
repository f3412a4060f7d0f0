#!/usr/bin/env bash
# Upgrade the app in place: back up, deploy a release, migrate, restart, smoke-check, and roll
# back by itself when any step fails. Run from the app's folder (a git checkout), as root:
#
#   sudo deploy/upgrade.sh --ref v1.4.0                  # one centre
#   sudo deploy/upgrade.sh --ref v1.4.0                  # a city: the first app server …
#   sudo deploy/upgrade.sh --ref v1.4.0 --no-migrate     # … then each other one
#
#   --ref REF          the release to deploy: a tag, branch or commit (default: origin/main)
#   --no-fetch         use what is already in the checkout (no `git fetch`)
#   --no-migrate       do not migrate (another server of the city did)
#   --url URL          where to smoke-check (default: http://<BIND of the env file>)
#   --restart CMD      how to restart the app (default: systemctl restart hotro-so)
#   --env FILE         the app's settings (default /etc/hotro-so/env)
#
# Rolling back: the schema goes down to the revision it had (with the new release's own
# downgrade steps); if that fails, the pre-upgrade backup is restored. Then the old code is
# checked out again, its dependencies installed, the app restarted and checked.
set -euo pipefail

APP_DIR="$(cd "$(dirname "$0")/.." && pwd)"
REF=origin/main
FETCH=1
MIGRATE=1
URL=""
RESTART="systemctl restart hotro-so"
ENV_FILE=/etc/hotro-so/env

while [ $# -gt 0 ]; do
  case "$1" in
    --ref) REF="$2"; shift 2 ;;
    --no-fetch) FETCH=0; shift ;;
    --no-migrate) MIGRATE=0; shift ;;
    --url) URL="$2"; shift 2 ;;
    --restart) RESTART="$2"; shift 2 ;;
    --env) ENV_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "upgrade.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
if [ -r "$ENV_FILE" ]; then set -a; . "$ENV_FILE"; set +a; fi
BACKUP_DIR="${BACKUP_DIR:-/var/backups/hotro-so}"
[ -n "$URL" ] || URL="http://${BIND:-127.0.0.1:8000}"
URL="${URL/0.0.0.0/127.0.0.1}"
cd "$APP_DIR"
SMOKE_LOG="$(mktemp)"
trap 'rm -f "$SMOKE_LOG"' EXIT
flask() { "$APP_DIR/.venv/bin/flask" --app wsgi "$@"; }
# PUBLIC_URL is the settings' business, not the release's: the smoke check only warns of it here.
smoke() { SMOKE_PUBLIC_URL=warn "$APP_DIR/deploy/smoke.sh" "$URL"; }
# A restarted server needs a few seconds before it answers: try for up to SMOKE_WAIT seconds
# (20 unless the env file says otherwise), every 2 s.
smoke_after_restart() {
  local waited=0
  while :; do
    if smoke > "$SMOKE_LOG" 2>&1; then cat "$SMOKE_LOG"; return 0; fi
    [ "$waited" -ge "${SMOKE_WAIT:-20}" ] && break
    sleep 2; waited=$((waited + 2))
  done
  cat "$SMOKE_LOG"
  return 1
}
schema_revision() { flask db current 2>/dev/null | awk 'NF {print $1}' | tail -n 1; }

git diff --quiet HEAD -- || { echo "upgrade.sh: $APP_DIR has local changes; commit or discard them first" >&2; exit 1; }
OLD="$(git rev-parse HEAD)"
OLD_REVISION="$(schema_revision)"

say "1/6 backup before the upgrade"
mkdir -p "$BACKUP_DIR"
case "${DATABASE_URL:-}" in postgres*) ext=pgdump ;; *) ext=sqlite3 ;; esac
BACKUP="$BACKUP_DIR/pre-upgrade-$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%d_%H%M%S).$ext"
(umask 077; flask backup "$BACKUP")

say "2/6 fetch the release $REF"
[ "$FETCH" = 1 ] && git fetch --quiet --tags origin
NEW="$(git rev-parse --verify "$REF^{commit}")"
echo "    from $(git log -1 --format='%h %s' "$OLD")"
echo "    to   $(git log -1 --format='%h %s' "$NEW")"

MIGRATED=0
rollback() {
  say "ROLLING BACK to $(git log -1 --format='%h' "$OLD") ($1 failed)"
  local restore=0
  if [ "$MIGRATED" = 1 ] && [ -n "$OLD_REVISION" ] && [ "$(schema_revision)" != "$OLD_REVISION" ]; then
    flask db downgrade "$OLD_REVISION" || restore=1
  fi
  git checkout --quiet --detach "$OLD"
  make --no-print-directory -s setup >/dev/null
  if [ "$restore" = 1 ]; then
    say "the schema could not go down: restoring $BACKUP"
    flask restore --yes "$BACKUP"
  fi
  bash -c "$RESTART"
  if smoke_after_restart >/dev/null; then
    say "rolled back; the old release answers again. Nothing of today is lost unless the backup was restored."
  else
    say "rolled back, but the smoke check still fails: deploy/smoke.sh $URL"
  fi
  exit 1
}

say "3/6 deploy the code and its locked dependencies"
git checkout --quiet --detach "$NEW" || rollback "checkout"
make --no-print-directory -s setup >/dev/null || rollback "installing dependencies"

if [ "$MIGRATE" = 1 ]; then
  say "4/6 migrate the database"
  MIGRATED=1
  flask db upgrade || rollback "the migration"
else
  say "4/6 migrations left to the first server (--no-migrate)"
fi

say "5/6 restart"
bash -c "$RESTART" || rollback "the restart"

say "6/6 smoke check of $URL"
smoke_after_restart || rollback "the smoke check"
say "upgraded to $(git log -1 --format='%h %s' "$NEW"); backup kept at $BACKUP"
