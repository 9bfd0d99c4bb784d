"""Helpers the benchmarks share (a PostgreSQL database, a store filled with scored ads, stored channel pages); not
benchmarks themselves, so `make bench` does not run them."""
