#!/usr/bin/env bash
# Proves the broker access rules shipped in deploy/mosquitto (mosquitto.conf, acl, the password
# files) on a private Mosquitto: it copies the shipped config to a temp folder, points its
# listener at a free loopback port and its paths at the temp folder, starts it, runs the checks,
# prints PASS/FAIL for each and exits non-zero if any failed. The broker is stopped at the end.
#
#   deploy/mosquitto/verify-acl.sh            (needs mosquitto, mosquitto_pub, mosquitto_sub, node or python3)
#
# Phase 1 uses a password file freshly made by make-passwords.sh (random passwords) and checks
# every ACL rule by delivery: a subscriber that may read a topic gets the message; a message that
# must be refused never arrives, which is asserted after a later "sentinel" message from an allowed
# publisher has arrived on the same subscription (QoS 1: the broker routes a message before it
# acknowledges it, and keeps per-subscriber order). Phase 2 starts the broker again with the
# committed passwords.example and checks the documented demo passwords. Phase 3 checks the demo-only
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
MOSQUITTO=${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}
for b in "$MOSQUITTO" mosquitto_pub mosquitto_sub mosquitto_passwd stdbuf; do
  command -v "$b" >/dev/null || { echo "verify-acl: $b not found (Debian: apt-get install mosquitto mosquitto-clients)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/aisle-acl.XXXXXX")
broker_pid=""
sub_pids=()
failures=0
passes=0

cleanup() {
  for p in "${sub_pids[@]}"; do kill "$p" 2>/dev/null; done
  stop_broker
  if [ "${KEEP:-0}" = 1 ]; then echo "verify-acl: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  if command -v node >/dev/null; then
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
  else
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  fi
}

result() { # result NAME OK(0|1) [detail]
  if [ "$2" = 0 ]; then passes=$((passes + 1)); printf 'PASS  %s\n' "$1"
  else failures=$((failures + 1)); printf 'FAIL  %s%s\n' "$1" "${3:+  ($3)}"; fi
}

# --- broker -------------------------------------------------------------------------------------
port=""
start_broker() { # start_broker PASSWORD_FILE [ACL_FILE]
  stop_broker
  mkdir -p "$work/auth" "$work/data"
  chmod 0700 "$work/auth"
  install -m 0600 "$1" "$work/auth/passwords"
  install -m 0600 "${2:-$here/acl}" "$work/auth/acl"
  port=$(free_port)
  local conf="$work/mosquitto.conf"
  # The shipped file, with only the listener address and the container paths changed.
  sed -e "s#^listener 1883\$#listener $port 127.0.0.1#" \
      -e "s#/mosquitto/auth/#$work/auth/#" \
      -e "s#^persistence_location /mosquitto/data/\$#persistence_location $work/data/#" \
      -e "s#^log_dest stdout\$#log_dest file $work/mosquitto.log#" \
      "$here/mosquitto.conf" > "$conf"
  local need
  for need in "listener $port 127.0.0.1" "password_file $work/auth/passwords" "acl_file $work/auth/acl" \
              "persistence_location $work/data/" "log_dest file $work/mosquitto.log" \
              "allow_anonymous false" "set_tcp_nodelay true"; do
    grep -qxF "$need" "$conf" || { echo "verify-acl: mosquitto.conf changed shape, cannot find: $need" >&2; exit 2; }
  done
  # Running as root, Mosquitto would drop to user "mosquitto", which cannot read the temp folder.
  [ "$(id -u)" = 0 ] && echo "user root" >> "$conf"
  : > "$work/mosquitto.log"
  "$MOSQUITTO" -c "$conf" > "$work/mosquitto.stdout" 2>&1 &
  broker_pid=$!
  local i
  for i in $(seq 1 50); do
    if grep -q "Opening ipv4 listen socket on port $port" "$work/mosquitto.log" 2>/dev/null; then return 0; fi
    if ! kill -0 "$broker_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "verify-acl: mosquitto did not start:" >&2; cat "$work/mosquitto.stdout" "$work/mosquitto.log" >&2; exit 2
}
stop_broker() {
  if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null; wait "$broker_pid" 2>/dev/null; broker_pid=""; fi
}

# --- clients ------------------------------------------------------------------------------------
declare -A PW
pub() { # pub USER TOPIC MESSAGE  -> exit code of mosquitto_pub (QoS 1, MQTT 3.1.1)
  mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u "$1" -P "${PW[$1]}" -t "$2" -m "$3" 2>>"$work/pub.err"
}
sub_start() { # sub_start NAME USER FILTER...  -> waits for the SUBACK
  local name=$1 user=$2; shift 2
  local args=() f
  for f in "$@"; do args+=(-t "$f"); done
  : > "$work/$name.out"
  stdbuf -oL -eL mosquitto_sub -d -h 127.0.0.1 -p "$port" -q 1 -u "$user" -P "${PW[$user]}" -F 'MSG %t %p' "${args[@]}" \
    > "$work/$name.out" 2>&1 &
  sub_pids+=($!)
  local i
  for i in $(seq 1 50); do grep -q 'received SUBACK' "$work/$name.out" && return 0; sleep 0.1; done
  echo "verify-acl: subscriber $name got no SUBACK:" >&2; cat "$work/$name.out" >&2; exit 2
}
got() { grep -qxF "MSG $2 $3" "$work/$1.out"; }   # got SUBSCRIBER TOPIC MESSAGE
wait_got() { # wait_got SUBSCRIBER TOPIC MESSAGE [seconds]
  local i
  for i in $(seq 1 $(( ${4:-5} * 20 ))); do got "$1" "$2" "$3" && return 0; sleep 0.05; done
  return 1
}
expect_delivered() { # expect_delivered NAME SUBSCRIBER TOPIC MESSAGE
  if wait_got "$2" "$3" "$4"; then result "$1" 0; else result "$1" 1 "$2 did not receive it"; fi
}
expect_not_delivered() { # only after the subscriber's sentinel arrived
  if got "$2" "$3" "$4"; then result "$1" 1 "$2 received it"; else result "$1" 0; fi
}

S=aisle/v1/stores
run=$$-$RANDOM

# ================================================================================================
echo "== phase 1: ACL, with a password file made by make-passwords.sh (random passwords)"
"$here/make-passwords.sh" -o "$work/passwords" --env-out "$work/credentials.env" --stores "s-001" 2>/dev/null \
  || { echo "verify-acl: make-passwords.sh failed" >&2; exit 2; }
while IFS='=' read -r k v; do
  case "$k" in MQTT_PASSWORD_*) u=${k#MQTT_PASSWORD_}; u=$(printf '%s' "$u" | tr 'A-Z_' 'a-z-'); PW[$u]=$v ;; esac
done < "$work/credentials.env"
# gw-s-001 comes back as gw-s-001 (its '-' were written as '_'): fine for these ids.
perms=$(stat -c %a "$work/passwords")
if [ "$perms" = 600 ]; then result "make-passwords.sh writes the password file with mode 0600" 0
else result "make-passwords.sh writes the password file with mode 0600" 1 "mode $perms"; fi
start_broker "$work/passwords"
echo "   private mosquitto on 127.0.0.1:$port ($("$MOSQUITTO" -h 2>/dev/null | head -1))"

# Connections
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t "$S/s-001/presence" -m "anon-$run" 2>/dev/null
result "anonymous connection is refused" $(( $? == 0 ))
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u engine -P "wrong-$run" -t "$S/s-001/decisions" -m x 2>/dev/null
result "engine with a wrong password is refused" $(( $? == 0 ))
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u "gw-s-999" -P "${PW[gw-s-001]}" -t "$S/s-999/presence" -m x 2>/dev/null
result "unknown user (gw-s-999) is refused" $(( $? == 0 ))
for u in engine gw-s-001 simulator analytics healthcheck; do
  mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u "$u" -P "${PW[$u]}" -t "aisle/v1/connect-check" -m x 2>/dev/null
  result "$u connects with its generated password" $?
done

# Subscribers: the engine's own subscription, and broad ones for the others (what they may read
# is filtered per message by the ACL).
sub_start eng engine "$S/+/+"
sub_start ana analytics "aisle/#"
sub_start gw gw-s-001 "aisle/#"
sub_start hc healthcheck "aisle/#"

pub gw-s-001 "$S/s-001/presence" "gw-own-presence-$run"
pub gw-s-001 "$S/s-001/esl"      "gw-own-esl-$run"
pub gw-s-001 "$S/s-001/pos"      "gw-own-pos-$run"
pub gw-s-001 "$S/s-001/identity" "gw-own-identity-$run"
pub gw-s-001 "$S/s-002/presence" "gw-other-store-$run"
pub gw-s-001 "$S/s-001/decisions" "gw-forged-decision-$run"
pub gw-s-001 "$S/s-001/alerts"   "gw-forged-alert-$run"
pub gw-s-001 "aisle/v1/deadletter" "gw-deadletter-$run"
pub engine   "$S/s-001/presence" "engine-forged-presence-$run"
pub engine   "$S/s-001/decisions" "engine-decision-$run"
pub engine   "$S/s-001/alerts"   "engine-alert-$run"
pub engine   "aisle/v1/deadletter" "engine-deadletter-$run"
pub engine   "$S/s-001/frames"   "engine-frame-$run"
pub gw-s-001 "$S/s-001/frames"   "gw-forged-frame-$run"
pub analytics "$S/s-001/frames"  "analytics-forged-frame-$run"
pub simulator "$S/s-001/pos"     "sim-own-pos-$run"
pub simulator "$S/s-002/pos"     "sim-other-store-$run"
pub analytics "$S/s-001/presence" "analytics-forged-presence-$run"
pub analytics "$S/s-001/decisions" "analytics-forged-decision-$run"
# Sentinels, published last by users allowed to reach each subscriber.
pub gw-s-001 "$S/s-001/presence" "sentinel-eng-$run"
pub engine "$S/s-001/decisions"   "sentinel-ana-$run"
wait_got eng "$S/s-001/presence" "sentinel-eng-$run" || result "engine subscriber received its sentinel" 1 "timed out"
wait_got ana "$S/s-001/decisions" "sentinel-ana-$run" || result "analytics subscriber received its sentinel" 1 "timed out"
sleep 0.5   # the gateway and healthcheck subscribers have no allowed publisher: give them time

expect_delivered     "gw-s-001 -> s-001/presence reaches the engine"        eng "$S/s-001/presence" "gw-own-presence-$run"
expect_delivered     "gw-s-001 -> s-001/esl reaches the engine"             eng "$S/s-001/esl" "gw-own-esl-$run"
expect_delivered     "gw-s-001 -> s-001/pos reaches the engine"             eng "$S/s-001/pos" "gw-own-pos-$run"
expect_delivered     "gw-s-001 -> s-001/identity reaches the engine"        eng "$S/s-001/identity" "gw-own-identity-$run"
expect_not_delivered "gw-s-001 -> s-002/presence (other store) is dropped"  eng "$S/s-002/presence" "gw-other-store-$run"
expect_not_delivered "gw-s-001 cannot forge s-001/decisions (engine)"       eng "$S/s-001/decisions" "gw-forged-decision-$run"
expect_not_delivered "gw-s-001 cannot forge s-001/decisions (analytics)"    ana "$S/s-001/decisions" "gw-forged-decision-$run"
expect_not_delivered "gw-s-001 cannot forge s-001/alerts"                   eng "$S/s-001/alerts" "gw-forged-alert-$run"
expect_not_delivered "gw-s-001 cannot write the dead-letter topic"          ana "aisle/v1/deadletter" "gw-deadletter-$run"
expect_not_delivered "engine cannot inject s-001/presence"                  eng "$S/s-001/presence" "engine-forged-presence-$run"
expect_delivered     "engine -> s-001/decisions reaches analytics"          ana "$S/s-001/decisions" "engine-decision-$run"
expect_not_delivered "engine does not read decisions (it consumes only what it needs)" eng "$S/s-001/decisions" "engine-decision-$run"
expect_not_delivered "engine does not read alerts"                          eng "$S/s-001/alerts" "engine-alert-$run"
expect_delivered     "engine -> s-001/frames reaches the engine (engines only, cross-instance)" eng "$S/s-001/frames" "engine-frame-$run"
expect_not_delivered "analytics cannot read frames"                         ana "$S/s-001/frames" "engine-frame-$run"
expect_not_delivered "gw-s-001 cannot forge frames"                         eng "$S/s-001/frames" "gw-forged-frame-$run"
expect_not_delivered "analytics cannot forge frames"                        eng "$S/s-001/frames" "analytics-forged-frame-$run"
expect_not_delivered "analytics cannot read alerts"                         ana "$S/s-001/alerts" "engine-alert-$run"
expect_not_delivered "analytics cannot read inbound presence"               ana "$S/s-001/presence" "gw-own-presence-$run"
expect_delivered     "engine -> deadletter reaches analytics"               ana "aisle/v1/deadletter" "engine-deadletter-$run"
expect_delivered     "simulator -> s-001/pos reaches the engine"            eng "$S/s-001/pos" "sim-own-pos-$run"
expect_not_delivered "simulator -> s-002/pos (other store) is dropped"      eng "$S/s-002/pos" "sim-other-store-$run"
expect_not_delivered "analytics cannot publish s-001/presence"              eng "$S/s-001/presence" "analytics-forged-presence-$run"
expect_not_delivered "analytics cannot publish s-001/decisions"             eng "$S/s-001/decisions" "analytics-forged-decision-$run"
if grep -q '^MSG ' "$work/gw.out"; then result "gw-s-001 reads nothing (decisions, alerts, other events)" 1 "$(grep -c '^MSG ' "$work/gw.out") messages"
else result "gw-s-001 reads nothing (decisions, alerts, other events)" 0; fi
if grep -q '^MSG ' "$work/hc.out"; then result "healthcheck reads no aisle/ topic" 1 "$(grep -c '^MSG ' "$work/hc.out") messages"
else result "healthcheck reads no aisle/ topic" 0; fi

# MQTT 5 clients are told: a refused QoS 1 publish is acknowledged with "not authorized".
v5=$(mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$port" -q 1 -u gw-s-001 -P "${PW[gw-s-001]}" -t "$S/s-002/presence" -m "v5-$run" 2>&1)
if printf '%s' "$v5" | grep -qi 'not authori'; then result "MQTT 5: gw-s-001 -> s-002/presence is answered 'not authorized'" 0
else result "MQTT 5: gw-s-001 -> s-002/presence is answered 'not authorized'" 1 "output: ${v5:-none}"; fi

# No retained messages (retain_available false): a retained publish never reaches a later subscriber.
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -r -u gw-s-001 -P "${PW[gw-s-001]}" -t "$S/s-001/presence" -m "retained-$run" 2>/dev/null
out=$(mosquitto_sub -h 127.0.0.1 -p "$port" -t "$S/s-001/presence" -C 1 -W 2 -u engine -P "${PW[engine]}" 2>/dev/null)
if [ -z "$out" ]; then result "a retained publish is not kept for later subscribers" 0; else result "a retained publish is not kept for later subscribers" 1 "$out"; fi

# The compose healthcheck command (docker-compose.yml, mosquitto service), and who may run it.
out=$(mosquitto_sub -h 127.0.0.1 -p "$port" -t '$SYS/broker/uptime' -C 1 -W 6 -u healthcheck -P "${PW[healthcheck]}" 2>&1)
if [ $? = 0 ] && [ -n "$out" ]; then result "healthcheck reads \$SYS/broker/uptime (compose healthcheck: '$out')" 0
else result "healthcheck reads \$SYS/broker/uptime (compose healthcheck)" 1 "$out"; fi
out=$(mosquitto_sub -h 127.0.0.1 -p "$port" -t '$SYS/broker/uptime' -C 1 -W 2 -u gw-s-001 -P "${PW[gw-s-001]}" 2>/dev/null)
if [ -z "$out" ]; then result "gw-s-001 cannot read \$SYS" 0; else result "gw-s-001 cannot read \$SYS" 1 "$out"; fi

for p in "${sub_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
sub_pids=()

# ================================================================================================
echo "== phase 2: the committed passwords.example (demo passwords change-me-<user>)"
start_broker "$here/passwords.example"
for u in engine gw-s-001 simulator analytics healthcheck; do
  PW[$u]="change-me-$u"
  mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u "$u" -P "change-me-$u" -t "aisle/v1/connect-check" -m x 2>/dev/null
  result "passwords.example: $u connects with change-me-$u" $?
done
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -u engine -P "change-me" -t x -m x 2>/dev/null
result "passwords.example: engine with another password is refused" $(( $? == 0 ))
sub_start eng2 engine "$S/+/+"
pub gw-s-001 "$S/s-002/presence" "demo-other-store-$run"
pub gw-s-001 "$S/s-001/presence" "demo-own-$run"
expect_delivered     "passwords.example: gw-s-001 -> s-001/presence reaches the engine" eng2 "$S/s-001/presence" "demo-own-$run"
expect_not_delivered "passwords.example: gw-s-001 -> s-002/presence is dropped"         eng2 "$S/s-002/presence" "demo-other-store-$run"
if grep -qi 'world readable\|has group or world\|wrong owner' "$work/mosquitto.log"; then
  result "no password-file permission warning from mosquitto" 1 "$(grep -i 'readable\|owner' "$work/mosquitto.log" | head -1)"
else result "no password-file permission warning from mosquitto" 0; fi

for p in "${sub_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
sub_pids=()

echo "== $passes passed, $failures failed"
[ "$failures" = 0 ]
