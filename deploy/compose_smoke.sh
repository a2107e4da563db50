#!/usr/bin/env bash
# Runs docker-compose.yml for real, end to end, and checks what a deployment promises:
#   build   the images (the public ones, or stand-ins from Debian's packages: deploy/standins/)
#   up      postgres, chroma, two API replicas and the nginx proxy, each waited on until healthy
#   upload  a document through the proxy with the API key; ask a question, get a cited answer;
#           read the register (the web page through its login cookie, and GET /reviews)
#   kill    one API replica; the other goes on answering through the proxy
#   restart down (volumes kept) and up: the same documents, passages, vectors, recommendations
#   down    everything, volumes too
# One log line per step; exits non-zero at the first failure (and tears down unless
# SMOKE_KEEP=1). Needs podman (or docker) and a compose tool:
#   apt-get install -y podman runc mmdebstrap podman-compose
# Debian bookworm's podman-compose (1.0.3) knows no profiles or replicas: where only that one is
# found, podman-compose>=1.1 is installed from PyPI into a venv under ~/.cache.
#
# Settings (environment):
#   SMOKE_IMAGES=standins|public  standins (default): build localhost/debian-base:bookworm with
#                                 mmdebstrap, then the stand-ins; public: Docker Hub's images
#   SMOKE_SOURCE=tree|<git rev>   the working tree (default), or that commit, exported with
#                                 git archive (a tree others are editing builds what it holds)
#   SMOKE_REBUILD_BASE=1          run mmdebstrap even where the base image exists already
#   SMOKE_NO_CACHE=1              build every image from scratch (no layer cache)
#   SLACK_BOT_TOKEN, SLACK_APP_TOKEN  both set: the Slack worker is started and waited on too
#                                 (Socket Mode reaches Slack's servers at start)
#   SMOKE_ENGINE, SMOKE_COMPOSE   force `podman`/`docker`, and the compose command
#   SMOKE_WORK                    scratch folder (default /tmp/review-assistant-compose-smoke)
#   SMOKE_PROJECT                 compose project name (default review-smoke)
#   SMOKE_KEEP=1                  leave the stack running at the end
#   SMOKE_TIMEOUT                 seconds to wait for health (default 600)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${SMOKE_WORK:-${TMPDIR:-/tmp}/review-assistant-compose-smoke}
PROJECT=${SMOKE_PROJECT:-review-smoke}
IMAGES=${SMOKE_IMAGES:-standins}
SOURCE=${SMOKE_SOURCE:-tree}
TIMEOUT=${SMOKE_TIMEOUT:-600}
URL=http://127.0.0.1:8000
SAMPLE_REL=samples/safeguarding/003_28908da9fb9512fb.txt
QUESTION="anything on babies not registered with a GP?"
SERVICES=(postgres chroma api proxy)
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_APP_TOKEN:-}" ]; then
    SERVICES+=(slack)
fi
NO_CACHE=()
[ "${SMOKE_NO_CACHE:-0}" = 1 ] && NO_CACHE=(--no-cache)
INSTALL="apt-get install -y podman runc mmdebstrap podman-compose"

T0=$(date +%s)
STEP_T0=$T0
STEP=setup
log() { printf '[smoke %s +%4ss] %s\n' "$(date -u +%H:%M:%S)" "$(($(date +%s) - T0))" "$*"; }
step() { STEP=$1; STEP_T0=$(date +%s); log "== $*"; }
done_step() { log "ok: $STEP ($(($(date +%s) - STEP_T0)) s)${1:+ — $1}"; }
fail() { log "FAIL in $STEP: $*"; exit 1; }
indent() { sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^/    | /' | cut -c1-240; }

mkdir -p "$WORK"
: >"$WORK/build.log"
: >"$WORK/compose.log"

# ---------------------------------------------------------------- tools
step "tools"
if [ -n "${SMOKE_ENGINE:-}" ]; then
    ENGINE=$SMOKE_ENGINE
elif command -v podman >/dev/null 2>&1; then
    ENGINE=podman
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    ENGINE=docker
else
    fail "neither podman nor a running docker: $INSTALL"
fi
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
compose_version() { # the compose tool's own version, not podman's it also prints
    "$@" version 2>/dev/null | grep -i compose | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1
}
if [ -n "${SMOKE_COMPOSE:-}" ]; then
    read -ra COMPOSE <<<"$SMOKE_COMPOSE"
elif [ "$ENGINE" = docker ] && docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
elif command -v podman-compose >/dev/null 2>&1 \
    && version_ge "$(compose_version podman-compose)" 1.1.0; then
    COMPOSE=(podman-compose)
elif [ "$ENGINE" = podman ]; then
    venv=${XDG_CACHE_HOME:-$HOME/.cache}/review-assistant/podman-compose
    if ! version_ge "$(compose_version "$venv/bin/podman-compose")" 1.1.0; then
        log "podman-compose $(compose_version podman-compose || true) lacks profiles and" \
            "replicas; installing podman-compose>=1.1 from PyPI into $venv"
        python3 -m venv "$venv" >>"$WORK/build.log" 2>&1 \
            && "$venv/bin/pip" install -q 'podman-compose>=1.1' >>"$WORK/build.log" 2>&1 \
            || fail "could not install podman-compose into $venv (see $WORK/build.log)"
    fi
    COMPOSE=("$venv/bin/podman-compose")
else
    fail "no compose tool: the docker compose plugin, or $INSTALL"
fi
log "engine: $($ENGINE --version)"
log "compose: ${COMPOSE[*]} $(compose_version "${COMPOSE[@]}")"
if [ "$ENGINE" = podman ]; then
    log "runtime: $(podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Version}}' | head -n1 | tr '\n' ' ')"
fi
command -v curl >/dev/null || fail "curl is needed"
command -v python3 >/dev/null || fail "python3 is needed (to read the JSON answers)"
if (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
    fail "something listens on 127.0.0.1:8000 already (the proxy publishes that port)"
fi

if [ "$SOURCE" = tree ]; then
    SRC=$ROOT
    log "source: the working tree $ROOT (HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) changed paths)"
else
    SRC=$WORK/src
    rm -rf "$SRC" && mkdir -p "$SRC"
    git -C "$ROOT" archive "$SOURCE" | tar -x -C "$SRC" || fail "git archive $SOURCE"
    log "source: commit $(git -C "$ROOT" rev-parse --short "$SOURCE") exported to $SRC"
fi
SAMPLE=$SRC/$SAMPLE_REL
[ -f "$SAMPLE" ] || fail "no $SAMPLE"
done_step

# ---------------------------------------------------------------- the .env the stack reads
KEY=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
{
    echo "API_KEYS=$KEY"
    echo "POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    echo "APP_IMAGE=localhost/review-assistant:smoke"
    if [[ " ${SERVICES[*]} " = *" slack "* ]]; then
        echo "SLACK_BOT_TOKEN=$SLACK_BOT_TOKEN"
        echo "SLACK_APP_TOKEN=$SLACK_APP_TOKEN"
        echo "SLACK_SIGNING_SECRET=${SLACK_SIGNING_SECRET:-}"
    fi
    if [ "$IMAGES" = standins ]; then
        echo "PYTHON_IMAGE=localhost/standin-python:3.11"
        echo "POSTGRES_IMAGE=localhost/standin-postgres:15"
        echo "CHROMA_IMAGE=localhost/standin-chroma:1.5.9"
        echo "NGINX_IMAGE=localhost/standin-nginx:1.22"
    fi
} >"$WORK/.env"
chmod 600 "$WORK/.env"

dc() { "${COMPOSE[@]}" -p "$PROJECT" --env-file "$WORK/.env" -f "$SRC/docker-compose.yml" "$@"; }
dc_logged() {
    echo "+ compose $*" >>"$WORK/compose.log"
    dc "$@" >>"$WORK/compose.log" 2>&1 || {
        tail -n 30 "$WORK/compose.log" | indent
        fail "compose $* (see $WORK/compose.log)"
    }
}
containers() { # the project's containers, of one service or all
    local filter=(--filter "label=com.docker.compose.project=$PROJECT")
    [ -n "${1:-}" ] && filter+=(--filter "label=com.docker.compose.service=$1")
    $ENGINE ps -a "${filter[@]}" --format '{{.Names}}' | sort
}
teardown() {
    local rc=$?
    trap - EXIT
    if [ "${SMOKE_KEEP:-0}" = 1 ]; then
        log "SMOKE_KEEP=1: the stack stays up (compose -p $PROJECT --env-file $WORK/.env down -v)"
    else
        log "== teardown (down -v)"
        if [ "$rc" != 0 ]; then
            for c in $(containers); do
                log "last lines of $c:"
                $ENGINE logs --tail 15 "$c" 2>&1 | indent || true
            done
        fi
        local lines
        lines=$(wc -l <"$WORK/compose.log")
        dc down -v >>"$WORK/compose.log" 2>&1 || true
        tail -n +"$((lines + 1))" "$WORK/compose.log" | grep -iE 'failed to stop|SIGKILL' | indent || true
        [ -z "$(containers)" ] || log "left behind: $(containers | tr '\n' ' ')"
    fi
    if [ "$rc" = 0 ]; then log "PASSED in $(($(date +%s) - T0)) s"; else log "FAILED (rc $rc)"; fi
    exit "$rc"
}

# ---------------------------------------------------------------- images
if [ "$IMAGES" = standins ]; then
    step "base image localhost/debian-base:bookworm (mmdebstrap)"
    if [ "${SMOKE_REBUILD_BASE:-0}" != 1 ] \
        && $ENGINE image inspect localhost/debian-base:bookworm >/dev/null 2>&1; then
        done_step "exists already, reused (SMOKE_REBUILD_BASE=1 builds it again)"
    else
        command -v mmdebstrap >/dev/null || fail "no mmdebstrap: $INSTALL"
        # the machine's own CA certificates go in too: behind a proxy that inspects TLS,
        # apt and pip in the images trust what the host trusts
        mmdebstrap --variant=apt --include=ca-certificates \
            --customize-hook='cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true' \
            --customize-hook='chroot "$1" update-ca-certificates' \
            bookworm "$WORK/rootfs.tar" >>"$WORK/build.log" 2>&1 || fail "mmdebstrap (see $WORK/build.log)"
        $ENGINE import --change 'CMD ["/bin/bash"]' "$WORK/rootfs.tar" \
            localhost/debian-base:bookworm >>"$WORK/build.log" 2>&1 || fail "image import"
        rm -f "$WORK/rootfs.tar"
        done_step
    fi
    for standin in python:standin-python:3.11 postgres:standin-postgres:15 \
        chroma:standin-chroma:1.5.9 nginx:standin-nginx:1.22; do
        file=${standin%%:*}
        tag=localhost/${standin#*:}
        step "stand-in $tag (deploy/standins/$file.Dockerfile)"
        $ENGINE build "${NO_CACHE[@]}" -f "$SRC/deploy/standins/$file.Dockerfile" -t "$tag" "$SRC/deploy/standins" \
            >>"$WORK/build.log" 2>&1 || { tail -n 20 "$WORK/build.log" | indent; fail "build $tag"; }
        done_step
    done
fi

step "app image (compose build api)"
dc_logged build "${NO_CACHE[@]}" api
done_step "$($ENGINE image inspect localhost/review-assistant:smoke --format '{{.Id}}' | cut -c1-12)"
log "images:"
$ENGINE images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'standin|review-assistant:smoke|debian-base' | sort | indent

# ---------------------------------------------------------------- up
trap teardown EXIT
dc down -v >>"$WORK/compose.log" 2>&1 || true # what an earlier run left

wait_healthy() { # every container of the named services running and healthy
    local deadline=$(($(date +%s) + TIMEOUT)) c state health pending
    while :; do
        pending=()
        for svc in "$@"; do
            local names
            names=$(containers "$svc")
            [ -n "$names" ] || { pending+=("$svc:absent"); continue; }
            for c in $names; do
                state=$($ENGINE inspect -f '{{.State.Status}}' "$c" 2>/dev/null || echo gone)
                if [ "$state" != running ]; then pending+=("$c:$state"); continue; fi
                if [ "$ENGINE" = podman ]; then
                    # podman schedules health checks with systemd timers; where there is no
                    # systemd, nothing runs them, so run each check here
                    if podman healthcheck run "$c" >/dev/null 2>&1; then health=healthy; else health=unhealthy; fi
                else
                    health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}healthy{{end}}' "$c")
                fi
                [ "$health" = healthy ] || pending+=("$c:$health")
            done
        done
        [ ${#pending[@]} = 0 ] && return 0
        [ "$(date +%s)" -lt "$deadline" ] || { log "still not healthy: ${pending[*]}"; return 1; }
        sleep 3
    done
}

# Compose starts a service once those it depends on are healthy (depends_on: condition:
# service_healthy). podman-compose asks podman to wait for that, which podman < 4.6 cannot; so
# the services go up in the compose file's dependency order, each waited on here.
bring_up() {
    local svc
    for svc in "${SERVICES[@]}"; do
        dc_logged up -d "$svc"
        wait_healthy "$svc" || fail "$svc did not become healthy within $TIMEOUT s"
        for c in $(containers "$svc"); do
            log "$c healthy ($($ENGINE inspect -f '{{.Config.Image}}' "$c"))"
        done
    done
}

if [[ " ${SERVICES[*]} " = *" slack "* ]]; then
    step "up: ${SERVICES[*]}"
else
    step "up: ${SERVICES[*]} (slack left out: without SLACK_BOT_TOKEN and SLACK_APP_TOKEN it exits)"
fi
bring_up
done_step "$(containers | wc -l) containers"

# ---------------------------------------------------------------- the API through the proxy
AUTH=(-H "Authorization: Bearer $KEY")
http() { # http METHOD PATH [curl args...]: body to $WORK/body, prints the status code
    local method=$1 path=$2
    shift 2
    curl -sS -o "$WORK/body" -w '%{http_code}' -X "$method" --max-time 300 "$@" "$URL$path" || true
}
json() { # json CODE: run Python CODE with d = the last body, parsed
    python3 -c "import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
$1" "$WORK/body"
}

step "refused without the key"
code=$(http GET /reviews)
[ "$code" = 401 ] || fail "GET /reviews without a key: $code"
done_step "GET /reviews without a key: 401"

step "upload $SAMPLE_REL"
code=$(http POST /documents "${AUTH[@]}" -F "file=@$SAMPLE")
if [ "$code" = 202 ]; then # a background job: follow it
    job=$(json 'print(d.get("id") or d.get("job", {}).get("id", ""))')
    log "202: job $job"
    for _ in $(seq 1 100); do
        code=$(http GET "/jobs/$job" "${AUTH[@]}")
        status=$(json 'print(d.get("status", ""))')
        [ "$status" = done ] && break
        [ "$status" = failed ] && fail "job failed: $(cat "$WORK/body")"
        sleep 3
    done
    [ "$status" = done ] || fail "job $job not done: $(cat "$WORK/body")"
elif [ "$code" != 201 ]; then
    fail "POST /documents: $code $(head -c 400 "$WORK/body")"
fi
done_step "$code $(head -c 300 "$WORK/body")"

step "ask: $QUESTION"
code=$(http POST /ask "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data "{\"question\": \"$QUESTION\"}")
[ "$code" = 200 ] || fail "POST /ask: $code $(head -c 400 "$WORK/body")"
json 'print("answer:", d["answer"][:400].replace("\n", " "))
print("abstained:", d["abstained"], "| mode:", d["mode"], "| answerer:", d["answerer"])
for c in d["citations"]:
    print("[{}] {} p.{} section {!r}: {!r}".format(
        c["n"], c["document"], c.get("page"), (c.get("section") or "")[:60], c["quote"][:160]))' | indent
json 'assert not d["abstained"] and d["citations"], "no cited answer"; assert "003_28908da9fb9512fb" in d["citations"][0]["document"], d["citations"][0]["document"]' \
    || fail "the answer is not cited from the uploaded document"
done_step "a cited answer"

step "register: GET /reviews and the web page"
code=$(http GET /reviews "${AUTH[@]}")
[ "$code" = 200 ] || fail "GET /reviews: $code"
json 'for r in d["reviews"]:
    print("{} — {} | {} | {} recommendations".format(
        r["name"], r["title"], r["partnership"], r["recommendation_count"]))' | indent
json 'assert len(d["reviews"]) == 1 and d["reviews"][0]["recommendation_count"] > 0' \
    || fail "expected one review with recommendations"
TITLE=$(json 'print(d["reviews"][0]["title"])')
rm -f "$WORK/cookies"
code=$(http POST /login -c "$WORK/cookies" --data-urlencode "key=$KEY" --data-urlencode "next=/")
[ "$code" = 303 ] || fail "POST /login: $code"
code=$(http GET / -b "$WORK/cookies")
[ "$code" = 200 ] || fail "GET / with the login cookie: $code"
python3 - "$WORK/body" "$TITLE" <<'EOF' || fail "the page does not show the review"
import html, sys
page, title = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
assert html.escape(title, quote=False) in page or title in page, title
EOF
done_step "GET / (login cookie): 200, $(wc -c <"$WORK/body") bytes, shows \"$TITLE\""

counts() { # "documents chunks vectors | reviews recommendations"
    [ "$(http GET /ready "${AUTH[@]}")" = 200 ] || { echo "ready: $(cat "$WORK/body")"; return; }
    local ready
    ready=$(json 'print(d["documents"], d["chunks"], d["vectors"])')
    [ "$(http GET /reviews "${AUTH[@]}")" = 200 ] || { echo "reviews: $(cat "$WORK/body")"; return; }
    echo "$ready | $(json 'print(len(d["reviews"]), sum(r["recommendation_count"] for r in d["reviews"]))')"
}
BEFORE=$(counts)
log "counts (documents passages vectors | reviews recommendations): $BEFORE"

# ---------------------------------------------------------------- one replica killed
step "kill one API replica"
mapfile -t REPLICAS < <(containers api)
[ ${#REPLICAS[@]} -ge 2 ] || fail "expected 2 api replicas, found: ${REPLICAS[*]}"
VICTIM=${REPLICAS[0]}
SURVIVOR=${REPLICAS[1]}
SURVIVOR_IP=$($ENGINE inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$SURVIVOR")
VICTIM_IP=$($ENGINE inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$VICTIM")
$ENGINE kill "$VICTIM" >/dev/null || fail "kill $VICTIM"
KILLED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
log "killed $VICTIM ($VICTIM_IP): now $($ENGINE inspect -f '{{.State.Status}} (exit {{.State.ExitCode}})' "$VICTIM"); $SURVIVOR ($SURVIVOR_IP): $($ENGINE inspect -f '{{.State.Status}}' "$SURVIVOR")"
ok=0
for i in 1 2 3 4 5 6; do
    start=$(date +%s.%N)
    code=$(http POST /ask "${AUTH[@]}" -H 'Content-Type: application/json' \
        --data "{\"question\": \"$QUESTION\"}")
    took=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
    if [ "$code" = 200 ] && json 'assert d["citations"]' 2>/dev/null; then
        ok=$((ok + 1))
        log "ask $i through the proxy: 200, $(json 'print(len(d["citations"]))') citations, ${took} s"
    else
        log "ask $i through the proxy: $code ${took} s $(head -c 200 "$WORK/body")"
    fi
done
log "the proxy's view (nginx access log since the kill, upstream = the replica that answered):"
PROXY=$(containers proxy | head -n1)
$ENGINE logs --since "$KILLED_AT" "$PROXY" 2>&1 | grep -E 'POST /ask|upstream|connect\(\) failed' | tail -n 12 | indent || true
[ "$ok" = 6 ] || fail "$((6 - ok)) of 6 questions failed with one replica down"
log "$VICTIM now: $($ENGINE inspect -f '{{.State.Status}} (restarts: {{.RestartCount}})' "$VICTIM")"
done_step "6 of 6 answered by the survivor while $VICTIM was down"

# ---------------------------------------------------------------- restart, volumes kept
step "restart: down (volumes kept), up"
lines=$(wc -l <"$WORK/compose.log")
down_t0=$(date +%s)
dc_logged down
log "down took $(($(date +%s) - down_t0)) s"
tail -n +"$((lines + 1))" "$WORK/compose.log" | grep -iE 'failed to stop|SIGKILL' | indent || true
[ -z "$(containers)" ] || fail "containers left after down: $(containers | tr '\n' ' ')"
log "down: no containers; volumes: $($ENGINE volume ls --format '{{.Name}}' | grep -c "^${PROJECT}_" || true) kept"
bring_up
AFTER=$(counts)
log "counts after the restart: $AFTER"
[ "$AFTER" = "$BEFORE" ] || fail "counts changed: before $BEFORE, after $AFTER"
code=$(http POST /ask "${AUTH[@]}" -H 'Content-Type: application/json' --data "{\"question\": \"$QUESTION\"}")
[ "$code" = 200 ] && json 'assert d["citations"] and not d["abstained"]' || fail "no cited answer after the restart: $code"
done_step "the same counts ($AFTER); the question still has a cited answer"
