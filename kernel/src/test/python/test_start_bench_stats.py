"""The figures `bin/hearth bench start` prints: its percentiles, table rows and target ratios (no Spark, no gateway)."""
import statistics

import pytest

from start_bench import percentile, ratio, row, table


def test_percentile_interpolates_between_the_nearest_ranks():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 50) == 3
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 5
    assert percentile(values, 10) == pytest.approx(1.4)
    assert percentile(values, 90) == pytest.approx(4.6)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    values = [0.9, 1.3, 1.1, 7.0]
    assert percentile(values, 50) == pytest.approx(statistics.median(values))


def test_percentile_of_one_value_is_that_value_and_of_none_is_refused():
    assert percentile([0.42], 90) == 0.42
    with pytest.raises(ValueError):
        percentile([], 50)


def test_row_shows_runs_median_and_spreads_in_milliseconds():
    assert row("pool off", [1.0, 2.0, 3.0, 4.0, 5.0]) == \
        "| pool off | 5 | 3,000 ms | 1,400–4,600 ms | 1,000–5,000 ms |  |"


def test_a_row_without_runs_says_why():
    assert row("default pool", [], "pool not available") == "| default pool | 0 | | | | pool not available |"


def test_table_keeps_the_rows_order_and_their_notes():
    lines = table(["b", "a"], {"a": [0.5], "b": [0.25]}, {"a": "start: warm 1"}).splitlines()
    assert lines[0] == "| row | runs | p50 | p10–p90 | min–max | note |"
    assert lines[2].startswith("| b | 1 | 250 ms |")
    assert lines[3] == "| a | 1 | 500 ms | 500–500 ms | 500–500 ms | start: warm 1 |"


def test_ratio_of_medians_or_none_without_runs():
    results = {"hearth": [0.9, 1.0, 1.1], "connect": [0.4, 0.5, 2.0], "none": []}
    assert ratio(results, "hearth", "connect") == pytest.approx(2.0)
    assert ratio(results, "hearth", "none") is None
    assert ratio(results, "missing", "connect") is None
