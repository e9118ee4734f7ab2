"""Reads wrk --latency output on stdin; prints 'requests/s p50_ms p99_ms non2xx [socket errors]'."""
import re
import sys

text = sys.stdin.read()


def milliseconds(label):
    match = re.search(r"^\s+" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
line = "%.0f %.2f %.2f %s" % (rps, milliseconds("50"), milliseconds("99"), non2xx.group(1) if non2xx else "0")
if errors:
    line += " socket-errors:" + errors.group(1).replace(" ", "")
print(line)
