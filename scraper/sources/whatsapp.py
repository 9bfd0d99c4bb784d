"""WhatsApp chat exports ("Export chat" -> without media), Android and iOS, Indonesian and English.

Line shapes (an export is one message per header line; following lines continue the message):
- Android, Indonesian:  `31/12/23 21.05 - Budi: pesan`
- Android, English US:  `12/31/23, 9:05 PM - Budi: message`   (en-GB: `31/12/2023, 21:05 - ...`)
- iOS, English:         `[31/12/2023, 21:05:33] Budi: message`  (`[12/31/23, 9:05:33 PM]` in the US)
- iOS, Indonesian:      `[31/12/23 21.05.33] Budi: pesan`
Header lines without "Name: " are system notices (encryption, joins). Attachments appear as
`<Media omitted>`, `<Media tidak disertakan>`, `image omitted`, `gambar tidak disertakan`,
`<attached: ...>`; iOS prefixes them (and sometimes whole lines) with U+200E.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import PurePath
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.charset import decode_body
from scraper.contacts import find_contacts
from scraper.errors import PageParseError
from scraper.records import JobPost, RawPage
from scraper.sources import register
from scraper.sources.base import ParseResult, SourceParam

_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[\s\u202f]?[AaPp]\.?[\s\u202f]?[Mm]\.?)?"
_ANDROID = re.compile(rf"^(?P<date>{_DATE}),?\s(?P<time>{_TIME})\s-\s(?P<rest>.*)$")
_IOS = re.compile(rf"^\u200e?\[(?P<date>{_DATE}),?\s(?P<time>{_TIME})\]\s(?P<rest>.*)$")
_SENDER = re.compile(r"^(?P<author>[^:]{1,80}?):\s?(?P<text>.*)$", re.DOTALL)
_ATTACHMENT = re.compile(
    r"^\u200e?(?:<Media omitted>|<Media tidak disertakan>|<attached: [^>]*>|<terlampir: [^>]*>"
    r"|(?:image|video|audio|sticker|GIF|document|gambar|stiker|dokumen) (?:omitted|tidak disertakan)"
    r"|.+\.(?:jpg|jpeg|png|webp|mp4|opus|pdf) \((?:file attached|file terlampir)\))\s*$",
    re.IGNORECASE,
)
_DELETED = re.compile(
    r"^\u200e?(?:This message was deleted|You deleted this message|Pesan ini telah dihapus"
    r"|Anda menghapus pesan ini|<This message was edited>|Null)$",
    re.IGNORECASE,
)
_CHAT_NAME = re.compile(r"^(?:WhatsApp Chat with|WhatsApp Chat -|Chat WhatsApp dengan)\s*(?P<name>.+)$", re.I)
_JAKARTA_FALLBACK = timezone(timedelta(hours=7))


@dataclass
class _Message:
    date: str
    time: str
    author: str | None
    lines: list[str]


def parse_chat_export(body: bytes, chat: str = "chat", tz: str = "Asia/Jakarta") -> ParseResult:
    """One JobPost per member message with text; system notices and attachment-only messages are skipped."""
    text = decode_body(body, "text/plain; charset=utf-8").replace("\r\n", "\n").replace("\r", "\n")
    messages = _split_messages(text.split("\n"))
    if not messages:
        raise PageParseError("no WhatsApp message header lines (Android or iOS export format) in the file")
    day_first = _day_first(messages)
    zone = _zone(tz)
    result = ParseResult()
    for message in messages:
        if message.author is None:
            continue
        body_lines = [line for line in message.lines if not _ATTACHMENT.match(line.strip())]
        message_text = "\n".join(line.replace("\u200e", "") for line in body_lines).strip()
        if not message_text or _DELETED.match(message_text):
            continue
        try:
            posted_at = _timestamp(message.date, message.time, day_first).replace(tzinfo=zone)
        except ValueError as exc:
            result.problems.append(f"message at {message.date} {message.time}: {exc}")
            continue
        author = message.author.replace("\u200e", "").replace("\u202a", "").replace("\u202c", "").strip()
        digest = hashlib.sha256(f"{posted_at.isoformat()}\n{author}\n{message_text}".encode()).hexdigest()[:20]
        result.posts.append(
            JobPost(
                source="whatsapp",
                source_ad_id=f"{chat}:{digest}",
                text=message_text,
                posted_at=posted_at,
                author=author,
                contact_handles=find_contacts(f"{author}\n{message_text}"),
                extra={"chat": chat, "had_attachment": len(body_lines) != len(message.lines)},
            )
        )
    return result


def _split_messages(lines: list[str]) -> list[_Message]:
    messages: list[_Message] = []
    for line in lines:
        header = _IOS.match(line) or _ANDROID.match(line)
        if header is None:
            if messages:
                messages[-1].lines.append(line)
            continue
        sender = _SENDER.match(header.group("rest").lstrip("\u200e"))
        # A system notice such as "Budi added Sari" has no "Name: "; a long notice that happens to
        # contain a colon must not become a sender, and names are short.
        is_sender = sender is not None and len(sender.group("author").split()) <= 6
        if sender is not None and is_sender and header.re is _IOS:
            # iOS writes notices as "<group>: \u200e<notice>"; attachments share the mark but are not notices.
            said = sender.group("text")
            is_sender = not said.startswith("\u200e") or bool(_ATTACHMENT.match(said) or _DELETED.match(said))
        if sender is not None and is_sender:
            messages.append(_Message(header.group("date"), header.group("time"), sender.group("author"),
                                     [sender.group("text")]))
        else:
            messages.append(_Message(header.group("date"), header.group("time"), None, [header.group("rest")]))
    return messages


def _day_first(messages: list[_Message]) -> bool:
    """Decide d/m or m/d for the whole file: a field over 12 settles it; otherwise 12-hour clocks mean US."""
    for message in messages:
        first, second = (int(x) for x in re.split(r"[/.-]", message.date)[:2])
        if first > 12:
            return True
        if second > 12:
            return False
    return not any(re.search(r"[AaPp]\.?[\s\u202f]?[Mm]", m.time) for m in messages)


def _timestamp(date: str, time: str, day_first: bool) -> datetime:
    a, b, year = (int(x) for x in re.split(r"[/.-]", date))
    day, month = (a, b) if day_first else (b, a)
    if year < 100:
        year += 2000
    clock = time.replace("\u202f", " ").strip()
    pm = re.search(r"[Pp]\.?\s?[Mm]", clock) is not None
    am = re.search(r"[Aa]\.?\s?[Mm]", clock) is not None
    numbers = [int(x) for x in re.findall(r"\d+", clock)]
    hour, minute = numbers[0], numbers[1]
    second = numbers[2] if len(numbers) > 2 else 0
    if pm and hour < 12:
        hour += 12
    if am and hour == 12:
        hour = 0
    return datetime(year, month, day, hour, minute, second)


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _JAKARTA_FALLBACK


def chat_name_from_path(path: str) -> str:
    """'WhatsApp Chat with Loker Jakarta.txt' -> 'Loker Jakarta' (the export's own file name)."""
    stem = PurePath(unquote(urlsplit(path).path) or path).stem
    match = _CHAT_NAME.match(stem)
    return (match.group("name") if match else stem).strip() or "chat"


@register
class WhatsAppSource:
    """An exported chat file; `chat` names the group (default: taken from the export's file name)."""

    name: ClassVar[str] = "whatsapp"
    kind: ClassVar[str] = "file"
    label: ClassVar[str] = "WhatsApp"
    params: ClassVar[tuple[SourceParam, ...]] = (
        SourceParam("chat", "WhatsApp group name (default: from the file name)."),
        SourceParam("tz", "Time zone the phone that exported the chat was in (default Asia/Jakarta)."),
    )

    def __init__(self, params: Mapping[str, Any], cursor: Mapping[str, Any]) -> None:
        self.chat = params.get("chat")
        self.tz = str(params.get("tz", "Asia/Jakarta"))

    def parse(self, page: RawPage) -> ParseResult:
        chat = str(self.chat) if self.chat else chat_name_from_path(page.url)
        return parse_chat_export(page.body, chat=chat, tz=self.tz)
