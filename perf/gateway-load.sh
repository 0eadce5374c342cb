#!/usr/bin/env bash
# Measures what the gateway adds over calling MetaModel in-process, on loopback, against instant fake candidates.
# Needs wrk (Debian package "wrk"). Every request goes to 127.0.0.1; each wrk run lasts a fixed time and stops.
# Usage: perf/gateway-load.sh [SECONDS]   (writes perf/results/gateway.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
port=5091
url="http://127.0.0.1:${port}"
out=perf/results/gateway.md

dotnet build -c Release perf/MetaModel.Gateway.Perf -v q -nologo >/dev/null
binary=perf/MetaModel.Gateway.Perf/bin/Release/net10.0/MetaModel.Gateway.Perf

inproc=$("$binary" inproc 200000)

"$binary" serve "$url" & server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url/v1/models" && break
    sleep 0.1
done

# Warm-up, then one connection (latency) and eight connections (throughput).
wrk -t1 -c1 -d3s -s perf/gateway-post.lua "$url/v1/chat/completions" >/dev/null
one=$(wrk -t1 -c1 -d"${seconds}s" --latency -s perf/gateway-post.lua "$url/v1/chat/completions")
eight=$(wrk -t2 -c8 -d"${seconds}s" --latency -s perf/gateway-post.lua "$url/v1/chat/completions")
stream=$(STREAM=1 wrk -t1 -c1 -d"${seconds}s" --latency -s perf/gateway-post.lua "$url/v1/chat/completions")
kill "$server"; wait "$server" 2>/dev/null || true; trap - EXIT

{
    echo "# Gateway overhead on loopback"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with perf/gateway-load.sh (${seconds} s per wrk run)."
    echo "Load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores shared with other builds."
    echo
    echo '```'
    lscpu | head -20
    echo '```'
    echo
    echo "## In-process baseline"
    echo
    echo '```'
    echo "$inproc"
    echo '```'
    echo
    echo "## Gateway, non-streamed, 1 connection"
    echo
    echo '```'
    echo "$one"
    echo '```'
    echo
    echo "## Gateway, non-streamed, 8 connections"
    echo
    echo '```'
    echo "$eight"
    echo '```'
    echo
    echo "## Gateway, streamed with usage, 1 connection"
    echo
    echo '```'
    echo "$stream"
    echo '```'
} > "$out"
echo "wrote $out"
