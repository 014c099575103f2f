#!/usr/bin/env bash
# Creates or updates the project's Python environment .venv (git-ignored): CPython 3.11 with the pinned
# packages of python/requirements-*.txt, the Glue 5.0 job's libraries and the test tools. Idempotent and
# quiet when up to date: it reinstalls only when a requirements file changed. Wheels are cached outside
# the repository ($CLICKSTREAM_CACHE, default ~/.cache/clickstream-bi) so a new clone installs offline-fast.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${CLICKSTREAM_CACHE:-$HOME/.cache/clickstream-bi}"
venv=.venv
stamp="$venv/.requirements.sha256"
wanted="$(cat python/requirements-*.txt | sha256sum | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi

python="${PYTHON311:-python3.11}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  echo "scripts/python-env.sh: $python is not CPython 3.11, the Python of AWS Glue 5.0; install 3.11 or set PYTHON311 to its path" >&2
  exit 1
fi
echo "setting up $venv (Python 3.11, python/requirements-*.txt)..."
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
export PIP_CACHE_DIR="$cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
"$venv/bin/python" -m pip install --quiet --requirement python/requirements-glue.txt --requirement python/requirements-dev.txt
echo "$wanted" >"$stamp"
