#!/bin/sh
# Bring a mod_smscloud database to the newest schema, keeping its data.
#
#   schema/upgrade.sh [psql connection options]   e.g.  -d smscloud
#
# An empty database gets schema/smscloud.sql (version 1) first. Then every
# step schema/upgrade/NNN-*.sql with NNN above the database's version runs,
# in order, each in one transaction that also records its number, so a
# failed step leaves the database at the version before it. Safe to run
# again, and from two hosts at once (the version row is locked per step).
# Steps are never edited once released; a change is a new step.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PSQL=${PSQL:-psql}

q() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

if [ "$(q "$@" -c "SELECT to_regclass('schema_version') IS NOT NULL")" != t ]; then
    q "$@" -f "$here/smscloud.sql" >/dev/null
    echo "schema: version 1 created"
fi

for step in "$here"/upgrade/[0-9][0-9][0-9]-*.sql; do
    [ -e "$step" ] || continue
    n=$(basename "$step" | sed 's/^0*\([0-9][0-9]*\)-.*/\1/')
    current=$(q "$@" -c "SELECT max(version) FROM schema_version")
    [ "$n" -gt "$current" ] || continue
    q "$@" -1 \
        -c "LOCK TABLE schema_version IN EXCLUSIVE MODE" \
        -c "DO \$\$ BEGIN IF (SELECT max(version) FROM schema_version) <> $n - 1 THEN
                RAISE EXCEPTION 'schema: step $n needs version %, found %', $n - 1,
                    (SELECT max(version) FROM schema_version); END IF; END \$\$" \
        -f "$step" \
        -c "INSERT INTO schema_version (version) VALUES ($n)" >/dev/null
    echo "schema: upgraded to version $n ($(basename "$step"))"
done
echo "schema: at version $(q "$@" -c "SELECT max(version) FROM schema_version")"
