#!/usr/bin/env bash
# Build the FlaskBB 2.2 reference forum that `make bench` compares CourseHub's post page with.
#
#   benchmarks/flaskbb/setup.sh [DATA_DIR]
#
# Installs flaskbb==2.2.0 and gunicorn into their own venv (${FLASKBB_VENV}, reused when
# ready; never a project dependency), then wipes DATA_DIR and writes there a config, a
# seeded SQLite forum (plus the pristine flaskbb.sqlite.orig) and topic.json, whose
# "path" is the page to GET. Serve it with:
#   cd DATA_DIR && $FLASKBB_VENV/bin/gunicorn --no-control-socket -w 2 -b 127.0.0.1:PORT \
#       "flaskbb:create_app('DATA_DIR/flaskbb.cfg')"
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA_DIR=${1:-${TMPDIR:-/tmp}/coursehub-flaskbb-bench}
VENV=${FLASKBB_VENV:-${TMPDIR:-/tmp}/coursehub-flaskbb-venv}
ADMIN_PASSWORD=bench-only-admin-pass

log() { echo "[flaskbb] $*"; }
die() {
    echo "[flaskbb] error: $*" >&2
    exit 1
}

# FlaskBB 2.2 needs Python >= 3.12: $PYTHON, else python3.12+ on PATH, else pyenv's.
is_python312() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
find_python() {
    if [[ -n ${PYTHON:-} ]]; then
        is_python312 "$PYTHON" || die "PYTHON=$PYTHON is not a working Python >= 3.12"
        echo "$PYTHON"
        return
    fi
    local candidate
    for candidate in python3.12 python3.13 python3.14; do
        if command -v "$candidate" >/dev/null && is_python312 "$candidate"; then
            command -v "$candidate"
            return
        fi
    done
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[234]*/bin/python3; do
        if [[ -x $candidate ]] && is_python312 "$candidate"; then
            echo "$candidate"
            return
        fi
    done
    die "FlaskBB 2.2 needs Python >= 3.12 and none was found: set PYTHON=/path/to/python3.12"
}

# Put the import hook (see coursehub_lazy_annotations.py) into the venv's site-packages.
install_hook() {
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') &&
        cp "$HERE/coursehub_lazy_annotations.py" "$site/" &&
        echo "import coursehub_lazy_annotations" >"$site/coursehub_lazy_annotations.pth"
}

flaskbb_ready() {
    "$VENV/bin/python" -c '
import importlib.metadata
import flaskbb, gunicorn
assert importlib.metadata.version("flaskbb") == "2.2.0"' 2>/dev/null
}

start=$SECONDS

# DATA_DIR is wiped, so refuse anything that is not empty or an earlier bench directory,
# which the marker names: it is written first, so a run stopped halfway has it too (a
# flaskbb.cfg would not do: a real FlaskBB instance has one).
MARKER=.coursehub-bench-flaskbb
if [[ -e $DATA_DIR && -n $(ls -A "$DATA_DIR") && ! -f $DATA_DIR/$MARKER ]]; then
    die "$DATA_DIR is not empty and holds no $MARKER: refusing to wipe it"
fi
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
touch "$DATA_DIR/$MARKER"
DATA_DIR=$(cd "$DATA_DIR" && pwd)

# The venv gets the marker too: only one this script made is hooked, reused or replaced.
if [[ -f $VENV/$MARKER && -x $VENV/bin/python ]] && install_hook && flaskbb_ready; then
    log "reusing $VENV ($("$VENV/bin/python" -V))"
else
    [[ ! -e $VENV || -f $VENV/$MARKER ]] ||
        die "$VENV exists and holds no $MARKER: remove it or set FLASKBB_VENV elsewhere"
    python=$(find_python)
    log "creating $VENV with $python ($("$python" -V)); installing flaskbb 2.2.0 (~70 s)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    touch "$VENV/$MARKER"
    if ! "$VENV/bin/python" -m pip install "flaskbb==2.2.0" gunicorn >"$DATA_DIR/pip.log" 2>&1; then
        tail -n 30 "$DATA_DIR/pip.log" >&2
        die "pip install failed (full log: $DATA_DIR/pip.log)"
    fi
    install_hook
    flaskbb_ready || die "flaskbb 2.2.0 does not import in $VENV"
fi

# Paths come from the config file's own location, so DATA_DIR needs no quoting here.
cat >"$DATA_DIR/flaskbb.cfg" <<'EOF'
# FlaskBB config for CourseHub's benchmark. Bench-only: these keys protect nothing.
import os

_data = os.path.dirname(os.path.abspath(__file__))

DEBUG = False
TESTING = False
SECRET_KEY = "bench-only-not-a-secret"
WTF_CSRF_SECRET_KEY = "bench-only-not-a-secret-either"
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(_data, "flaskbb.sqlite")
WHOOSHEE_DIR = os.path.join(_data, "whoosh_index")
USE_DEFAULT_LOGGING = False
# Flask-Limiter reads the _URI spelling; FlaskBB's docs name the _URL one.
RATELIMIT_STORAGE_URL = "memory://"
RATELIMIT_STORAGE_URI = "memory://"
CACHE_TYPE = "SimpleCache"
REDIS_ENABLED = False
EOF

log "installing FlaskBB into $DATA_DIR"
# `install` compiles translations with pybabel, which it looks up on PATH.
if ! PATH="$VENV/bin:$PATH" "$VENV/bin/flaskbb" --config "$DATA_DIR/flaskbb.cfg" install \
    -f -u admin -e admin@example.org -p "$ADMIN_PASSWORD" >"$DATA_DIR/install.log" 2>&1; then
    tail -n 30 "$DATA_DIR/install.log" >&2
    die "flaskbb install failed (full log: $DATA_DIR/install.log)"
fi

log "seeding one topic with 100 replies"
"$VENV/bin/python" "$HERE/seed.py" "$DATA_DIR"

{
    "$VENV/bin/python" -V
    "$VENV/bin/python" -m pip freeze
} >"$DATA_DIR/versions.txt"

log "ready in $((SECONDS - start)) s: $DATA_DIR/topic.json"
