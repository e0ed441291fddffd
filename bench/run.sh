#!/usr/bin/env bash
# `make bench`: the deployment pipeline at 1..10,000 tenants, then the config repository.
set -euo pipefail
build_dir="${1:-build}"
echo "## Deployment pipeline (bench_deploy)"
"$build_dir/bench/bench_deploy" "${@:2}"
echo
echo "## Config repository (bench_history)"
"$build_dir/bench/bench_history"
echo
echo "## Fleet (bench_fleet)"
"$build_dir/bench/bench_fleet" --agents 20 --rounds 10
"$build_dir/bench/bench_fleet" --agents 0 --simulated 100 --rounds 10
"$build_dir/bench/bench_fleet" --agents 1 --rounds 0 --applies 1000 --wrk 5
echo
echo "## REST API (bench_api)"
"$build_dir/bench/bench_api" --seconds 5
echo
echo "## Web UI pages beside the REST API (bench_ui)"
"$build_dir/bench/bench_ui" --requests 200
