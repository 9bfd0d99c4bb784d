"""A bundled sample so a newcomer's first `make run` shows a filled queue."""

from pathlib import Path

SAMPLE_ADS = Path(__file__).with_name("sample_ads.jsonl")
