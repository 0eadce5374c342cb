#!/usr/bin/env bash
# Installs (if needed) and starts a PostgreSQL server on 127.0.0.1 for the decision log's integration tests, with a
# database and a password user matching the tests' default connection string:
#   Host=127.0.0.1;Port=5432;Username=metamodel;Password=metamodel;Database=metamodel_test
# Safe to run again: it installs, creates and starts only what is missing. Runs as root on Debian.
set -euo pipefail

PG_USER="${METAMODEL_PG_USER:-metamodel}"
PG_PASSWORD="${METAMODEL_PG_PASSWORD:-metamodel}"
PG_DATABASE="${METAMODEL_PG_DATABASE:-metamodel_test}"
PG_PORT="${METAMODEL_PG_PORT:-5432}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "postgres.sh: installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends postgresql
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters --no-header 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${version} main"; then
    echo "postgres.sh: creating cluster ${version}/main"
    pg_createcluster "${version}" main --port "${PG_PORT}"
fi

conf="/etc/postgresql/${version}/main/postgresql.conf"
# Listen on the loopback address only, on the expected port.
sed -i -E "s/^#?listen_addresses\s*=.*/listen_addresses = '127.0.0.1'/" "${conf}"
sed -i -E "s/^#?port\s*=.*/port = ${PG_PORT}/" "${conf}"

if ! pg_ctlcluster "${version}" main status >/dev/null 2>&1; then
    echo "postgres.sh: starting cluster ${version}/main"
    pg_ctlcluster "${version}" main start
fi

for _ in $(seq 1 60); do
    if pg_isready -h 127.0.0.1 -p "${PG_PORT}" -q; then
        break
    fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "${PG_PORT}"

as_postgres() {
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -p "${PG_PORT}" -qtA "$@"
}

if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '${PG_USER}'")" != "1" ]; then
    as_postgres -c "CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}'"
else
    as_postgres -c "ALTER ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}'"
fi

if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '${PG_DATABASE}'")" != "1" ]; then
    as_postgres -c "CREATE DATABASE ${PG_DATABASE} OWNER ${PG_USER}"
fi

echo "postgres.sh: PostgreSQL ${version} is ready on 127.0.0.1:${PG_PORT}, database ${PG_DATABASE}"
