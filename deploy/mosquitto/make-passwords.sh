#!/usr/bin/env bash
# Creates the Mosquitto password file for the users in deploy/mosquitto/acl, with
# `mosquitto_passwd -b` (PBKDF2-SHA512 hashes), and writes the plain passwords to a
# credentials file, mode 0600, in the variable names docker-compose.yml reads.
#
#   deploy/mosquitto/make-passwords.sh                 random passwords -> deploy/mosquitto/passwords
#                                                      and deploy/mosquitto/credentials.env
#   deploy/mosquitto/make-passwords.sh --demo          the documented demo passwords (change-me-<user>);
#                                                      this is how passwords.example was made
#   options: -o FILE            password file to write (default deploy/mosquitto/passwords)
#            --env-out FILE     credentials file to write (default deploy/mosquitto/credentials.env)
#            --stores "s-001 s-002"   one gateway user gw-<storeId> per store (default s-001);
#                                     the ACL needs a matching block for each
#
# A password can be fixed instead of generated: MQTT_PASSWORD_ENGINE, MQTT_PASSWORD_SIMULATOR,
# MQTT_PASSWORD_ANALYTICS, MQTT_PASSWORD_HEALTHCHECK, MQTT_PASSWORD_GW_S_001 (store id upper-cased,
# '-', '.' and ':' as '_'). Passwords go into URLs (MQTT_URL), so generated ones are [A-Za-z0-9].
# Needs mosquitto_passwd (Debian: apt-get install mosquitto; or run this script inside the
# eclipse-mosquitto:2 image).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/passwords"
env_out="$here/credentials.env"
stores="s-001"
demo=0
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    --env-out) env_out=$2; shift 2 ;;
    --stores) stores=$2; shift 2 ;;
    --demo) demo=1; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-passwords: unknown argument $1" >&2; exit 2 ;;
  esac
done

passwd_bin=$(command -v mosquitto_passwd || true)
if [ -z "$passwd_bin" ]; then
  echo "make-passwords: mosquitto_passwd not found (apt-get install mosquitto, or run inside eclipse-mosquitto:2)" >&2
  exit 1
fi

random_password() { # 32 characters from [A-Za-z0-9], about 190 bits
  local p=""
  while [ ${#p} -lt 32 ]; do p+=$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9'); done
  printf '%s' "${p:0:32}"
}

users=(engine simulator analytics healthcheck)
for s in $stores; do
  if ! [[ $s =~ ^[A-Za-z0-9._:-]{1,64}$ ]]; then echo "make-passwords: bad store id '$s'" >&2; exit 2; fi
  users+=("gw-$s")
done

umask 077
tmp_pw=$(mktemp "$out.XXXXXX")
tmp_env=$(mktemp "$env_out.XXXXXX")
trap 'rm -f "$tmp_pw" "$tmp_env"' EXIT
{
  echo "# Mosquitto credentials made by make-passwords.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Secret: keep mode 0600,"
  echo "# never commit. Use with: docker compose --env-file $(basename "$env_out") ... (or append to .env)"
} > "$tmp_env"

: > "$tmp_pw"
for u in "${users[@]}"; do
  var="MQTT_PASSWORD_$(printf '%s' "$u" | tr 'a-z.:-' 'A-Z___')"
  if [ "$demo" = 1 ]; then pw="change-me-$u"
  elif [ -n "${!var:-}" ]; then pw=${!var}
  else pw=$(random_password); fi
  "$passwd_bin" -b "$tmp_pw" "$u" "$pw"
  printf '%s=%s\n' "$var" "$pw" >> "$tmp_env"
done
# The names docker-compose.yml interpolates.
{
  grep '^MQTT_PASSWORD_ENGINE=' "$tmp_env" | sed 's/^MQTT_PASSWORD_ENGINE=/AISLE_MQTT_ENGINE_PASSWORD=/'
  grep '^MQTT_PASSWORD_HEALTHCHECK=' "$tmp_env" | sed 's/^MQTT_PASSWORD_HEALTHCHECK=/AISLE_MQTT_HEALTHCHECK_PASSWORD=/'
  grep '^MQTT_PASSWORD_SIMULATOR=' "$tmp_env" | sed 's/^MQTT_PASSWORD_SIMULATOR=/AISLE_MQTT_SIMULATOR_PASSWORD=/'
  echo "AISLE_MQTT_PASSWORD_FILE=$out"
} >> "$tmp_env"

chmod 0600 "$tmp_pw" "$tmp_env"
mv "$tmp_pw" "$out"
mv "$tmp_env" "$env_out"
trap - EXIT
echo "make-passwords: wrote $out (${#users[@]} users: ${users[*]}) and $env_out, both mode 0600" >&2
