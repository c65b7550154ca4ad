#!/usr/bin/env bash
# pettracker-ml's checks that run anywhere bash runs (the lab runner has no Python): the things that have
# broken a deploy before. Exits non-zero, naming the file, when one fails.
set -u
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Beanstalk starts the process named web, and nginx forwards to port 8000.
grep -Eq '^web: gunicorn .*--bind :8000' Procfile || fail "Procfile: the web process must run gunicorn with --bind :8000"
# Every dependency pinned, so staging and production install the same versions.
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  echo "$line" | grep -q '==' || fail "requirements.txt: '$line' is not pinned (name==version)"
done < requirements.txt
# Tabs in Python indentation are a SyntaxError waiting for the instance.
for file in app/*.py; do
  if grep -q "$(printf '^\t')" "$file"; then fail "$file: indented with a tab"; fi
done
# The load balancer's health check and the API's one endpoint.
grep -q '@app.get("/health")' app/main.py || fail "app/main.py: no /health endpoint"
grep -q '@app.post("/identify")' app/main.py || fail "app/main.py: no /identify endpoint"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "All checks passed"
