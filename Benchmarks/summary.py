"""Summarises several compare.sh runs: for each figure the range between runs, the median of
the ratios, and in how many runs each aim was met. The VM this project runs on swings by a
quarter between runs, so one run's ratio says little; the spread and the count say more.
Usage: python3 Benchmarks/summary.py RESULTS_DIR...   (each holding a results.json)"""
import json
import statistics
import sys

runs = []
for folder in sys.argv[1:]:
    rows = json.load(open(f"{folder}/results.json"))
    runs.append({(r["scenario"], r["server"]): r for r in rows})
if not runs:
    sys.exit("usage: summary.py RESULTS_DIR...")


def span(values, fmt):
    low, high = fmt(min(values)), fmt(max(values))
    return low if low == high else f"{low} - {high}"


def met(values, aim):
    return f"{sum(1 for v in values if aim(v))} of {len(values)}"


rate = lambda v: f"{v:,.0f}"
times = lambda v: f"{v:.1f}x"
millis = lambda v: f"{v:.1f} ms" if v < 100 else f"{v:,.0f} ms"

print(f"{len(runs)} runs: {', '.join(sys.argv[1:])}")
print(f"{'scenario':8} | {'taskd req/s':>17} | {'reference req/s':>15} | {'throughput (median; runs >= 40x)':>36} | {'p99 lower by (runs >= 20x)':>26} | taskd / floor (median; runs >= 80%)")
for scenario in ["list", "get", "create", "update", "mixed", "login"]:
    pairs = [(run[(scenario, "taskd")], run[(scenario, "reference")]) for run in runs if (scenario, "taskd") in run and (scenario, "reference") in run]
    if not pairs:
        continue
    throughput = [t["throughput"] / r["throughput"] for t, r in pairs]
    p99 = [r["p99_ms"] / t["p99_ms"] for t, r in pairs]
    line = (f"{scenario:8} | {span([t['throughput'] for t, _ in pairs], rate):>17} | {span([r['throughput'] for _, r in pairs], rate):>15} | "
            f"{span(throughput, times) + f' ({statistics.median(throughput):.1f}x; ' + met(throughput, lambda v: v >= 40) + ')':>36} | "
            f"{span(p99, times) + ' (' + met(p99, lambda v: v >= 20) + ')':>26} |")
    floors = [run[(scenario, "taskd")]["throughput"] / run[(scenario, "floor")]["throughput"] * 100 for run in runs if (scenario, "floor") in run and (scenario, "taskd") in run]
    if floors:
        line += f" {span(floors, lambda v: f'{v:.0f}%')} ({statistics.median(floors):.0f}%; {met(floors, lambda v: v >= 80)})"
    print(line)

for scenario in ["create", "update"]:
    rows = [run[(scenario, "taskd")] for run in runs if "fsyncs_per_second" in run.get((scenario, "taskd"), {})]
    if rows:
        multiples = [r["throughput"] / r["disk_fsyncs_per_second"] for r in rows]
        print(f"durable {scenario}: {span(multiples, times)} the disk's one-writer fsync rate ({met(multiples, lambda v: v >= 5)} runs >= 5x: "
              f"{', '.join(f'{v:.1f}' for v in multiples)}); {span([r['fsyncs_per_second'] for r in rows], rate)} fsyncs/s, "
              f"{span([r['records_per_fsync'] for r in rows], lambda v: f'{v:.1f}')} records per fsync")

for label, mixed_key, alone_key in [("closed loop", "mixed", "get"), ("open loop", "mixed-open", "get-open")]:
    ratios = [run[(mixed_key, "taskd")]["operations"]["get"]["p99_ms"] / run[(alone_key, "taskd")]["p99_ms"]
              for run in runs if run.get((mixed_key, "taskd"), {}).get("operations", {}).get("get") and (alone_key, "taskd") in run]
    if ratios:
        print(f"get p99 under mixed, {label}: {span(ratios, lambda v: f'{v:.2f}x')} its p99 alone "
              f"({met(ratios, lambda v: v <= 2)} runs <= 2x: {', '.join(f'{v:.2f}' for v in ratios)})")

failed = sum(1 for run in runs for r in run.values() if r["non_2xx"] + r["errors"])
if failed:
    print(f"WARNING: {failed} measurements had failed requests: see each run's table")
