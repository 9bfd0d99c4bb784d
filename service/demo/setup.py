"""`lokerwatch quickstart`'s demo: saved Telegram pages and WhatsApp exports imported through the real
parsers, the default model trained when none exists, and demo accounts whose passwords are shown once.

The bundled pages (service/demo/pages/, see its README) are in the real t.me/s HTML structure and WhatsApp
export format: a showcase of blatant and lawful posts written by the lokerwatch team, and four channel days
written by independent writers with the mix real loker channels carry (mostly ordinary jobs, some borderline),
so the demo queue ranks as a real one would. Names and numbers are invented. Their dates are moved forward
by whole days on import so the newest post is from today and the dashboard's recent days are filled.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from scraper.engine import RunSummary
from service.auth.users import add_user, find_user
from service.collect.imports import import_file

PAGES_DIR = Path(__file__).with_name("pages")
# (source kind, file, parser parameters)
DEMO_PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("telegram", "telegram_infokerjaluarnegeri_id.html", {"channel": "infokerjaluarnegeri_id"}),
    ("telegram", "telegram_lokerbatamkepri.html", {"channel": "lokerbatamkepri"}),
    ("whatsapp", "WhatsApp Chat - Loker Kalbar Singkawang.txt", {}),
    ("whatsapp", "WhatsApp Chat - Info Kerja Jatim.txt", {}),
    ("telegram", "telegram_lokerpontianakkalbar.html", {"channel": "lokerpontianakkalbar"}),
    ("whatsapp", "WhatsApp Chat - Info Loker Batam Kepri.txt", {}),
    ("telegram", "telegram_infolokersurabaya.html", {"channel": "infolokersurabaya"}),
    ("whatsapp", "WhatsApp Chat - Loker Semarang & Jateng.txt", {}),
)
DEMO_UNIT = "PPA Polres Singkawang"
# username, role, unit
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("demo", "analyst", None), ("demo-supervisor", "supervisor", None), ("demo-polisi", "police", DEMO_UNIT),
)
_TG_TIME = re.compile(r'datetime="([^"]+)"')
_WA_STAMP = re.compile(r"^\[(\d{2})/(\d{2})/(\d{2}) ", re.MULTILINE)


def _newest_date(text: str) -> date | None:
    dates = [datetime.fromisoformat(m).date() for m in _TG_TIME.findall(text)]
    dates += [date(2000 + int(y), int(mo), int(d)) for d, mo, y in _WA_STAMP.findall(text)]
    return max(dates, default=None)


def shift_dates(text: str, days: int) -> str:
    """Move every post date of a t.me/s page or a WhatsApp export forward by `days`."""
    if days == 0:
        return text

    def telegram(match: re.Match[str]) -> str:
        return f'datetime="{(datetime.fromisoformat(match.group(1)) + timedelta(days=days)).isoformat()}"'

    def whatsapp(match: re.Match[str]) -> str:
        day = date(2000 + int(match.group(3)), int(match.group(2)), int(match.group(1))) + timedelta(days=days)
        return f"[{day:%d/%m/%y} "

    return _WA_STAMP.sub(whatsapp, _TG_TIME.sub(telegram, text))


def import_demo_pages(session_factory: Callable[[], Session], workdir: Path,
                      today: date | None = None) -> list[RunSummary]:
    """Import every bundled page through `import_file` (the scraper's parsers), dates moved to recent days."""
    today = today or datetime.now(UTC).date()
    texts = {name: (PAGES_DIR / name).read_text(encoding="utf-8") for _, name, _ in DEMO_PAGES}
    newest = max(d for t in texts.values() if (d := _newest_date(t)) is not None)
    days = max(0, (today - newest).days)
    workdir.mkdir(parents=True, exist_ok=True)
    summaries = []
    for kind, name, params in DEMO_PAGES:
        path = workdir / name
        path.write_text(shift_dates(texts[name], days), encoding="utf-8")
        summaries.append(import_file(session_factory, kind, path, params))
    return summaries


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str | None  # None: the account already existed, its password is not known here


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that are missing, each with a fresh random password (shown once)."""
    accounts = []
    for username, role, unit in DEMO_ACCOUNTS:
        if find_user(session, username) is not None:
            accounts.append(DemoAccount(username, role, None))
            continue
        password = secrets.token_urlsafe(12)
        add_user(session, username, password, role, unit)
        accounts.append(DemoAccount(username, role, password))
    session.commit()
    return accounts
