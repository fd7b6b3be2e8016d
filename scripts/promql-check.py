#!/usr/bin/env python3
"""Evaluates every PromQL expression of the Grafana dashboards and the Prometheus alert rules against a live
Prometheus (HTTP API /api/v1/query).

A dashboard query passes when it parses, every metric it names is exported (known to Prometheus), and it
returns at least one series. An alert expression passes when it parses and every metric it names is exported
(an alert that returns nothing is simply not firing).

Usage: promql-check.py PROMETHEUS_URL --dashboards DIR --rules FILE...   (exit 1 when anything fails)
       promql-check.py --list --dashboards DIR --rules FILE...            (print the expressions, no server)
"""
import argparse
import json
import pathlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

# Grafana's built-in interval variables, as the check's 1 s scrape makes them meaningful.
GRAFANA_VARIABLES = {"__rate_interval": "1m", "__interval": "30s", "__range": "1h", "__range_s": "3600"}

PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    "inf", "nan", "atan2", "start", "end",
}


def dashboard_expressions(directory):
    """(where, expr) for every target of every panel (rows' nested panels included) of every dashboard."""
    out = []
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        stack = list(dashboard.get("panels", []))
        while stack:
            panel = stack.pop(0)
            stack.extend(panel.get("panels", []))
            for target in panel.get("targets", []):
                expr = target.get("expr")
                if expr:
                    where = f"{path.name}: panel '{panel.get('title')}' target {target.get('refId')}"
                    out.append((where, substitute(expr)))
    return out


def rule_expressions(files):
    try:
        import yaml
    except ImportError:
        sys.exit("promql-check: python3-yaml is needed (Debian package python3-yaml, a dependency of docker-compose)")
    out = []
    for file in files:
        document = yaml.safe_load(pathlib.Path(file).read_text(encoding="utf-8"))
        for group in document.get("groups", []):
            for rule in group.get("rules", []):
                name = rule.get("alert") or rule.get("record")
                out.append((f"{pathlib.Path(file).name}: rule {name}", rule["expr"]))
    return out


def substitute(expr):
    def replace(match):
        name = match.group(1) or match.group(2)
        return GRAFANA_VARIABLES.get(name, ".*")
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", replace, expr)


def metric_names(expr):
    """Metric names a PromQL expression selects: identifiers left after removing strings, label matchers,
    ranges, grouping clauses, function calls, keywords and numbers."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\boffset\s+-?\w+", " ", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = match.group(0)
        rest = text[match.end():].lstrip()
        if rest.startswith("("):
            continue  # a function or aggregation
        if word.lower() in PROMQL_WORDS or re.fullmatch(r"\d+[smhdwy]", word):
            continue
        names.add(word)
    return names


def query(prometheus, expr):
    url = prometheus.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        try:
            return json.load(e)
        except ValueError:
            return {"status": "error", "error": f"HTTP {e.code}"}


def exported_names(prometheus):
    url = prometheus.rstrip("/") + "/api/v1/label/__name__/values"
    with urllib.request.urlopen(url, timeout=15) as response:
        return set(json.load(response)["data"])


def check(prometheus, expressions, need_series):
    known = exported_names(prometheus)
    failures = []
    for where, expr in expressions:
        answer = query(prometheus, expr)
        one_line = " ".join(expr.split())
        if answer.get("status") != "success":
            failures.append(f"{where}: does not evaluate: {answer.get('error')}\n    {one_line}")
            continue
        missing = sorted(metric_names(expr) - known)
        if missing:
            failures.append(f"{where}: names metric(s) the app does not export: {', '.join(missing)}\n    {one_line}")
            continue
        data = answer["data"]
        series = len(data["result"]) if data["resultType"] in ("vector", "matrix") else 1
        if need_series and series == 0:
            failures.append(f"{where}: returns no series\n    {one_line}")
            continue
        print(f"ok   {where} ({series} series)")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prometheus", nargs="?", help="base URL of a Prometheus scraping the app")
    parser.add_argument("--dashboards", required=True)
    parser.add_argument("--rules", nargs="+", required=True)
    parser.add_argument("--list", action="store_true", help="only print the expressions found")
    args = parser.parse_args()

    dashboards = dashboard_expressions(args.dashboards)
    rules = rule_expressions(args.rules)
    if not dashboards:
        sys.exit(f"promql-check: no dashboard queries found in {args.dashboards}")
    if args.list:
        for where, expr in dashboards + rules:
            print(f"{where}\n    {' '.join(expr.split())}\n    metrics: {', '.join(sorted(metric_names(expr)))}")
        return 0
    if not args.prometheus:
        parser.error("PROMETHEUS_URL is required unless --list")

    failures = check(args.prometheus, dashboards, need_series=True) + check(args.prometheus, rules, need_series=False)
    for failure in failures:
        print(f"FAIL {failure}")
    total = len(dashboards) + len(rules)
    print(f"promql: {total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
