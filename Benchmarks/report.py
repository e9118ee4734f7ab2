"""Reads taskload JSON lines (one per scenario and server); prints the comparison table and
writes results.json and latency.svg (latency percentiles, log scale) into the output folder."""
import json
import math
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
out = sys.argv[2]
by = {(r["scenario"], r["server"]): r for r in rows}
scenarios = [s for s in ["list", "get", "create", "update", "mixed", "login"] if (s, "taskd") in by]

print(f"{'scenario':8} {'taskd req/s':>12} {'ref req/s':>10} {'ratio':>7} {'taskd p99':>10} {'ref p99':>9} {'ratio':>7} {'floor req/s':>12} {'vs floor':>9}  failures")
for s in scenarios:
    t, r, f = by.get((s, "taskd")), by.get((s, "reference")), by.get((s, "floor"))
    ratio = t["throughput"] / r["throughput"] if r and r["throughput"] else float("nan")
    p99 = r["p99_ms"] / t["p99_ms"] if r and t["p99_ms"] else float("nan")
    floor = f"{f['throughput']:12.0f} {100 * t['throughput'] / f['throughput']:8.0f}%" if f else f"{'':12} {'':9}"
    bad = sum(x["non_2xx"] + x["errors"] for x in (t, r, f) if x)
    print(f"{s:8} {t['throughput']:12.0f} {r['throughput'] if r else 0:10.0f} {ratio:6.1f}x {t['p99_ms']:9.2f}ms {r['p99_ms'] if r else 0:8.1f}ms {p99:6.1f}x {floor}  {bad if bad else ''}")
for s in ["create", "update"]:
    t = by.get((s, "taskd"))
    if t and "fsyncs_per_second" in t:
        print(f"taskd {s}: {t['throughput']:.0f} durable writes/s with {t['fsyncs_per_second']:.0f} fsyncs/s, {t['records_per_fsync']:.1f} records per fsync; "
              f"the disk alone does {t['disk_fsyncs_per_second']:.0f} fsyncs/s (one writer), so {t['throughput'] / t['disk_fsyncs_per_second']:.1f}x its rate (the aim is at least 5x)"
              + (f"; over pre-written zeros, as the WAL writes, it does {t['disk_overwrite_fsyncs_per_second']:.0f}/s ({t['throughput'] / t['disk_overwrite_fsyncs_per_second']:.1f}x)"
                 if "disk_overwrite_fsyncs_per_second" in t else ""))
mixed, alone = by.get(("mixed", "taskd")), by.get(("get", "taskd"))
if mixed and alone and mixed.get("operations", {}).get("get"):
    under = mixed["operations"]["get"]["p99_ms"]
    print(f"taskd get p99, closed loop: {under:.2f} ms under the mixed load, {alone['p99_ms']:.2f} ms alone ({under / alone['p99_ms']:.2f}x; the aim is at most 2x)")
mixed_open, alone_open = by.get(("mixed-open", "taskd")), by.get(("get-open", "taskd"))
if mixed_open and alone_open and mixed_open.get("operations", {}).get("get"):
    under = mixed_open["operations"]["get"]["p99_ms"]
    print(f"taskd get p99, open loop at {alone_open['throughput']:.0f} req/s: {under:.2f} ms under the mixed load, {alone_open['p99_ms']:.2f} ms alone ({under / alone_open['p99_ms']:.2f}x)")
if any(x["non_2xx"] + x["errors"] for x in rows):
    print("WARNING: some requests failed (see the failures column): those rows do not describe healthy runs")
json.dump(rows, open(f"{out}/results.json", "w"), indent=1)

# The chart: one group per scenario, bars for p50/p90/p99/p99.9 of each server, log scale.
colors = {"taskd": "#1f77b4", "reference": "#d62728", "floor": "#2ca02c"}
percentiles = [("p50_ms", "p50"), ("p90_ms", "p90"), ("p99_ms", "p99"), ("p999_ms", "p99.9")]
servers = [s for s in ["taskd", "reference", "floor"] if any(k[1] == s for k in by)]
width, height, left, top, bottom = 980, 420, 60, 40, 70
group = (width - left - 20) / max(1, len(scenarios))
bar = group / (len(servers) * len(percentiles) + 2)
low, high = 0.1, max(r["p999_ms"] for r in rows) * 1.5
def y(v): return top + (height - top - bottom) * (1 - (math.log10(max(v, low)) - math.log10(low)) / (math.log10(high) - math.log10(low)))
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<text x="{left}" y="20" font-size="14">Latency percentiles (ms, log scale): taskd vs the FastAPI + PostgreSQL service vs the floor</text>']
tick = low
while tick <= high:
    svg.append(f'<line x1="{left}" x2="{width-20}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/><text x="{left-6}" y="{y(tick)+4:.1f}" text-anchor="end">{tick:g}</text>')
    tick *= 10
for gi, s in enumerate(scenarios):
    x0 = left + gi * group + bar
    for si, server in enumerate(servers):
        r = by.get((s, server))
        for pi, (key, _) in enumerate(percentiles):
            x = x0 + (si * len(percentiles) + pi) * bar
            if r:
                opacity = 0.4 + 0.2 * pi
                svg.append(f'<rect x="{x:.1f}" y="{y(r[key]):.1f}" width="{bar*0.9:.1f}" height="{height-bottom-y(r[key]):.1f}" fill="{colors[server]}" fill-opacity="{opacity}"><title>{server} {s} {key[:-3]}: {r[key]:.2f} ms</title></rect>')
    svg.append(f'<text x="{left + gi*group + group/2:.1f}" y="{height-bottom+16}" text-anchor="middle">{s}</text>')
for si, server in enumerate(servers):
    svg.append(f'<rect x="{left + si*140}" y="{height-30}" width="12" height="12" fill="{colors[server]}"/><text x="{left + si*140 + 16}" y="{height-20}">{server} (p50, p90, p99, p99.9)</text>')
svg.append("</svg>")
open(f"{out}/latency.svg", "w").write("\n".join(svg))
