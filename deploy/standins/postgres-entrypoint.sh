#!/bin/sh
# The part of the official postgres image's entrypoint the compose file relies on: on an empty
# $PGDATA, create the cluster with POSTGRES_USER / POSTGRES_PASSWORD (password logins over TCP)
# and the database POSTGRES_DB; then run the server as the postgres user.
set -eu
if [ "${1:-}" = postgres ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        pwfile=$(mktemp)
        printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
        chown postgres "$pwfile"
        runuser -u postgres -- initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8
        rm -f "$pwfile"
        echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
        echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
        runuser -u postgres -- pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
        if [ "$db" != postgres ]; then
            runuser -u postgres -- psql -v ON_ERROR_STOP=1 -U "$user" -d postgres \
                -c "CREATE DATABASE \"$db\""
        fi
        runuser -u postgres -- pg_ctl -D "$PGDATA" -m fast -w stop
        echo "postgres stand-in: cluster initialised in $PGDATA (user $user, database $db)"
    fi
    # exec, no fork: the server is PID 1 and gets the stop signal itself
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
