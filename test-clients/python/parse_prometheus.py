"""Parses Prometheus text exposition from stdin with prometheus_client's parser and prints, as JSON,
{metric family name: [[sample name, labels, value], ...]}. Exits non-zero if the text does not parse."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    # NaN and infinities are not JSON: report them as null.
    out[family.name] = [[s.name, s.labels, s.value if s.value == s.value and abs(s.value) != float("inf") else None] for s in family.samples]
print(json.dumps(out))
