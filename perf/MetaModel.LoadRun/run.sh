#!/usr/bin/env bash
# Runs the failover load run and writes perf/results/failover-load-run.md with the machine it ran on.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=perf/results/failover-load-run.md
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet build perf/MetaModel.LoadRun -c Release -v q -nologo
report=$(dotnet perf/MetaModel.LoadRun/bin/Release/net10.0/MetaModel.LoadRun.dll "${1:-10000}" "${2:-64}")
{
    echo "# Failover load run"
    echo
    echo "Run on $(date -u +%Y-%m-%d) with \`bash perf/MetaModel.LoadRun/run.sh\`: the router (MetaModelChatClient, 3 candidates,"
    echo "weighted policy, budgets of 4 tenants) calls the official OpenAI .NET client, which calls a scripted"
    echo "OpenAI-compatible server on 127.0.0.1 in the same process. Faults are drawn per server request: 10% 429 with"
    echo "\`retry-after-ms: 20\`, 5% 500, 2% streams cut partway (aborted or ended without a finish reason; 502 when not"
    echo "streamed). Client retries are off, so every retry and failover is the router's. Requests may wait up to 250 ms"
    echo "for a candidate to recover (MaxWaitForAvailability); budgets are 0.25 USD per tenant and day, reserved at"
    echo "admission with MaxOutputTokens 32."
    echo
    echo "$report"
    echo
    echo "## Machine"
    echo
    echo "Other engineers' builds and test runs shared these 2 cores during the run (load average $load_before before"
    echo "it), and the server ran in the same process as the router, so the latencies, the p99s above all, are upper bounds."
    echo
    echo '```'
    lscpu | head -20
    echo '```'
} > "$out"
cat "$out"
