"""The bundled demo, so a newcomer's first `make run` shows a filled queue.

`pages/` holds saved Telegram channel pages (t.me/s HTML) and WhatsApp chat exports that
`quickstart` imports through the real parsers (see `service.demo.setup`); `sample_ads.jsonl` is a
small labelled set in the labelled-data schema for `lokerwatch ingest`.
"""

from pathlib import Path

SAMPLE_ADS = Path(__file__).with_name("sample_ads.jsonl")
