#!/usr/bin/env python3
"""DuckDB's side of the CloudTrail ingest benchmark (docs/benchmarks.md, "Investigation
graph"): loads the same log files (`AWSLogs/.../*.json.gz`, each `{"Records": [...]}`) and
counts events per principal per hour.

    /var/tmp/duckdb-venv/bin/python scripts/bench-duckdb-cloudtrail.py DIR [THREADS]

The principal is `userIdentity.arn`, else `userIdentity.invokedBy` (AWS services), as
Rampart's graph names them. Prints events, groups, seconds, events/s and DuckDB's version.
"""
import sys, time, duckdb

root = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute("SET preserve_insertion_order = false")
t0 = time.time()
glob = f"{root}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz"
# The record fields the query needs, typed (what DuckDB would otherwise infer by sampling).
columns = "{Records: 'STRUCT(eventTime VARCHAR, userIdentity STRUCT(arn VARCHAR, invokedBy VARCHAR))[]'}"
con.execute(f"""
CREATE TABLE per_hour AS
SELECT coalesce(r.userIdentity.arn, r.userIdentity.invokedBy) AS principal,
       date_trunc('hour', CAST(r.eventTime AS TIMESTAMP)) AS hour,
       count(*) AS events
FROM (SELECT unnest(Records) AS r
      FROM read_json('{glob}', columns = {columns}, format = 'auto', compression = 'gzip',
                     maximum_object_size = 268435456))
GROUP BY ALL
""")
secs = time.time() - t0
events, groups = con.execute("SELECT sum(events), count(*) FROM per_hour").fetchone()
print(f"duckdb {duckdb.__version__}, {threads} thread(s): {events} events, {groups} (principal, hour) groups, {secs:.1f} s, {events / secs:.0f} events/s")
