#!/bin/sh
# Backs up and restores nuell's database with pg_dump and pg_restore (docs/operations.md).
#
#   DATABASE_URL=postgres://... db-backup.sh backup [FILE]
#   DATABASE_URL=postgres://... db-backup.sh restore FILE
#
# backup writes one archive in pg_dump's custom format (compressed; every schema, including the
# e-mail queue's) to FILE, by default $BACKUP_DIR/nuell-<UTC time>.dump (BACKUP_DIR: the current
# folder). The archive appears under its name only once it is complete and pg_restore can read
# it, and only you can read it (it holds e-mail addresses and password hashes).
#
# restore replaces the database named in DATABASE_URL (which must be the one the archive was
# taken from) with the archive's: it drops the database and creates it again, so nothing of the
# present one is left. Nothing may be connected to it, so stop the API and the panel first; the
# URL's user must be allowed to create databases. It stops at the first error.
#
# The tools must be of PostgreSQL's major version or newer (pg_dump refuses an older one); they
# are taken from PG_BIN when set, else from PATH. In docker-compose.yml the `backup` service runs
# this script in the postgres image, whose tools are the server's own.
set -eu

usage() {
	echo "usage: DATABASE_URL=postgres://... $0 backup [FILE] | restore FILE" >&2
	exit 2
}

tool() {
	if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN/$1"; else echo "$1"; fi
}

[ -n "${DATABASE_URL:-}" ] || {
	echo "DATABASE_URL is not set" >&2
	exit 2
}
[ $# -ge 1 ] || usage
command=$1
shift

case "$command" in
backup)
	[ $# -le 1 ] || usage
	file=${1:-${BACKUP_DIR:-.}/nuell-$(date -u +%Y%m%dT%H%M%SZ).dump}
	partial="$file.partial"
	umask 077
	trap 'rm -f "$partial"' EXIT
	"$(tool pg_dump)" --format=custom --dbname="$DATABASE_URL" --file="$partial"
	# An archive that pg_restore cannot list is no backup.
	"$(tool pg_restore)" --list "$partial" >/dev/null
	mv "$partial" "$file"
	trap - EXIT
	echo "backup written to $file"
	;;
restore)
	[ $# -eq 1 ] || usage
	file=$1
	[ -f "$file" ] || {
		echo "no such file: $file" >&2
		exit 2
	}
	# The archive recreates the database it was taken from: refuse to restore it under another name.
	listing=$("$(tool pg_restore)" --list "$file")
	archived=$(printf '%s\n' "$listing" | sed -n 's/^;[[:space:]]*dbname: //p')
	target=$(printf '%s' "$DATABASE_URL" | sed -E 's#^postgres(ql)?://[^/]*/([^?]*).*#\2#')
	[ "$archived" = "$target" ] || {
		echo "$file holds database \"$archived\", but DATABASE_URL names \"$target\"" >&2
		exit 1
	}
	# pg_restore drops and creates the database while connected to another one on the server:
	# the same URL with the maintenance database `postgres` in place of the database name.
	maintenance=$(printf '%s' "$DATABASE_URL" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/postgres#')
	"$(tool pg_restore)" --clean --if-exists --create --no-owner --exit-on-error \
		--dbname="$maintenance" "$file"
	echo "restored $file"
	;;
*)
	usage
	;;
esac
