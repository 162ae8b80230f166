"""The floor for the engine benchmark: a trivial statement run by plain Python with pyspark's SparkSession in-process.

Each run parses and evaluates the statement the way a REPL does (ast, compile, eval), with no engine in between.
Prints one line of JSON: the per-run times in microseconds.
"""
import ast
import json
import sys
import time

from pyspark.sql import SparkSession

runs, code = int(sys.argv[1]), sys.argv[2]
spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
namespace = {"spark": spark, "sc": spark.sparkContext}
times = []
for i in range(runs + 100):
    start = time.perf_counter_ns()
    tree = ast.parse(code, mode="eval")
    value = eval(compile(tree, "<cell>", "eval"), namespace)
    repr(value)
    elapsed = time.perf_counter_ns() - start
    if i >= 100:  # the first 100 warm up
        times.append(elapsed / 1000)
spark.stop()
print(json.dumps(times))
