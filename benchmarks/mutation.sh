#!/usr/bin/env bash
# Mutation run over the ranking and problem code (issue 17): how many small
# deliberate changes to ranking.py, gaps.py and to_act.py the tests catch.
#
# mutmut copies the project into mutants/, makes each mutant there and runs the
# tests that reach the mutated function (the selection in pyproject.toml's
# [tool.mutmut]), fastest first, stopping at the first failure. It installs
# nothing: install the bench extra first (pip install -e '.[test,bench]').
#
#     bash benchmarks/mutation.sh            # a fresh run (removes mutants/)
#     bash benchmarks/mutation.sh --resume   # carry on from an interrupted run
#     bash benchmarks/mutation.sh --resume 'graphmodel.questions.to_act*'  # (re)run these
#     bash benchmarks/mutation.sh --summary  # the figures of the last run, stopped or not
#
# Prints mutants, killed, survived, timed out and no tests, the raw kill rate,
# and the kill rate over the mutants that change behaviour: those that
# benchmarks/results/mutation.md does not class as equivalent.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT=${MUTMUT:-.venv/bin/mutmut}
[ -x "$MUTMUT" ] || { echo "error: $MUTMUT not found: pip install -e '.[test,bench]'" >&2; exit 1; }
if [ "${1:-}" != --summary ]; then
    if [ "${1:-}" = --resume ]; then shift; else rm -rf mutants; fi
    mkdir -p mutants
    export GRAPHMODEL_CACHE="${GRAPHMODEL_CACHE:-$(mktemp -d)}"  # the tests' own graph cache
    start=$(date +%s)
    "$MUTMUT" run --max-children "${JOBS:-2}" "$@" >mutants/run.log 2>&1 \
        || { tail -20 mutants/run.log; exit 1; }
    echo "mutation run: $(( $(date +%s) - start )) s (log: mutants/run.log)"
fi
"$MUTMUT" export-cicd-stats >/dev/null
"$MUTMUT" results --all true >mutants/results.txt 2>/dev/null || true

python3 - <<'EOF'
import json, re
from pathlib import Path

s = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
results = Path("mutants/results.txt").read_text()
surviving = set(re.findall(r"^\s*(\S+__mutmut_\d+): survived", results, re.M))
classed = Path("benchmarks/results/mutation.md")
equivalent = set()
if classed.exists():  # rows "| mutant | change | equivalent | why |"
    equivalent = set(re.findall(r"^\|\s*`?([\w.]+__mutmut_\d+)`?\s*\|[^|]*\|\s*equivalent",
                                classed.read_text(), re.M))
s["not_checked"] = len(re.findall(r": not checked$", results, re.M))
tested = s["total"] - s["no_tests"] - s["skipped"] - s["not_checked"]
caught = s["killed"] + s["timeout"]
for name in ("total", "killed", "survived", "timeout", "no_tests", "suspicious", "skipped",
             "not_checked"):
    print(f"  {name.replace('_', ' '):<22}{s[name]:>6}")
print(f"  {'kill rate (all tested)':<22}{100 * caught / max(tested, 1):>7.1f} %")
live = surviving - equivalent
print(f"  {'equivalent survivors':<22}{len(surviving & equivalent):>6}")
print(f"  {'behaviour survivors':<22}{len(live):>6}")
behaviour = tested - len(surviving & equivalent)
print(f"  {'kill rate (behaviour)':<22}{100 * caught / max(behaviour, 1):>7.1f} %")
for name in sorted(live):
    print(f"  unclassed or live: {name}")
EOF
