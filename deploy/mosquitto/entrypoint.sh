#!/bin/sh
# Starts Mosquitto in the eclipse-mosquitto:2 container (docker-compose.yml).
# The password and ACL files are bind-mounted read-only under /run/aisle-mqtt. Mosquitto 2 warns
# about (and later versions refuse) a password file that others can read or that another user
# owns, and a host file with mode 0600 owned by the host user is unreadable for the container's
# mosquitto user. So copy both into /mosquitto/auth, owned by mosquitto, mode 0600, then start.
set -eu
src=${AISLE_MQTT_AUTH_DIR:-/run/aisle-mqtt}
dst=/mosquitto/auth
for f in passwords acl; do
  if [ ! -s "$src/$f" ]; then echo "entrypoint: $src/$f is missing or empty" >&2; exit 1; fi
done
mkdir -p "$dst"
cp "$src/passwords" "$dst/passwords"
cp "$src/acl" "$dst/acl"
chown -R mosquitto:mosquitto "$dst" /mosquitto/data
chmod 0700 "$dst"
chmod 0600 "$dst/passwords" "$dst/acl"
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
