"""Finds the facts an ad states: contacts, pay, ages, genders, destinations and transit towns.

Everything is found on the normalised text (so `nol delapan satu dua ...` and `08l2 3456 789O` are
numbers) and reported with spans in the original text. `find_contacts` is the finder the service
reuses to link ads and to pseudonymise exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers

from model.normalise import NormalisedText, normalise
from model.reference import Place, destinations, transit_towns


@dataclass(frozen=True)
class Contact:
    """A way to reach the advertiser; `value` is canonical (E.164 phone, lowercase e-mail/handle/URL)."""

    kind: str  # phone | email | url | telegram | instagram | handle
    value: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Money:
    """A pay figure as written, and as a monthly amount in rupiah (upper end of a range)."""

    text: str
    start: int
    end: int
    amount: float
    currency: str
    period: str
    monthly_idr: float


@dataclass(frozen=True)
class AgeRange:
    text: str
    start: int
    end: int
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class Mention:
    """A word from a closed list (gender, destination, town) and what it stands for."""

    kind: str
    value: str
    text: str
    start: int
    end: int
    risk: str = ""


@dataclass
class Entities:
    contacts: list[Contact] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    ages: list[AgeRange] = field(default_factory=list)
    genders: list[Mention] = field(default_factory=list)
    destinations: list[Mention] = field(default_factory=list)
    transit_towns: list[Mention] = field(default_factory=list)

    @property
    def max_monthly_idr(self) -> float:
        return max((m.monthly_idr for m in self.money), default=0.0)


# Rupiah per unit, rounded mid-market rates of mid-2025; precision does not matter for a
# "too good to be true" check, an order of magnitude does.
IDR_PER_UNIT: dict[str, float] = {
    "idr": 1.0, "usd": 16_300.0, "myr": 3_800.0, "sgd": 12_500.0, "twd": 520.0, "hkd": 2_100.0,
    "sar": 4_350.0, "aed": 4_450.0, "qar": 4_480.0, "kwd": 53_000.0, "jpy": 108.0, "krw": 11.8,
    "thb": 480.0, "cny": 2_250.0, "eur": 18_500.0, "gbp": 21_500.0, "khr": 4.0,
}
_CURRENCY_WORDS: dict[str, str] = {
    "rp": "idr", "rp.": "idr", "idr": "idr", "rupiah": "idr", "usd": "usd", "us$": "usd", "$": "usd",
    "dollar": "usd", "dolar": "usd", "usdt": "usd", "rm": "myr", "myr": "myr", "ringgit": "myr",
    "sgd": "sgd", "s$": "sgd", "nt$": "twd", "ntd": "twd", "twd": "twd", "hkd": "hkd", "hk$": "hkd",
    "sar": "sar", "riyal": "sar", "real": "sar", "aed": "aed", "dirham": "aed", "qar": "qar", "kwd": "kwd",
    "dinar": "kwd", "yen": "jpy", "jpy": "jpy", "¥": "jpy", "won": "krw", "krw": "krw", "baht": "thb",
    "thb": "thb", "yuan": "cny", "rmb": "cny", "cny": "cny", "eur": "eur", "euro": "eur", "€": "eur",
    "gbp": "gbp", "£": "gbp", "riel": "khr",
}
_MULTIPLIERS = {"juta": 1e6, "jt": 1e6, "m": 1e6, "ribu": 1e3, "rb": 1e3, "k": 1e3}
# Months have ~26 working days, ~4.33 weeks, ~208 working hours.
_PER_MONTH = {"bulan": 1.0, "hari": 26.0, "minggu": 4.33, "tahun": 1 / 12, "jam": 208.0}

_CUR = r"(?:rp\.?|idr|rupiah|us\$|usdt|usd|\$|rm|myr|ringgit|sgd|s\$|nt\$|ntd|twd|hkd|hk\$|sar|riyal|aed|" \
       r"dirham|qar|kwd|dinar|yen|jpy|¥|won|krw|baht|thb|yuan|rmb|cny|euro|eur|€|gbp|£|dollar|dolar|riel)"
_NUM = r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d{1,2})?"
_MONEY = re.compile(
    rf"(?<![\w$])(?P<cur>{_CUR})?\s?(?P<lo>{_NUM})\s?(?P<unit1>juta|ribu|jt|rb|k|m)?"
    rf"(?:\s?(?:-|–|sampai|s/d|~)\s?(?P<cur_hi>{_CUR})?\s?(?P<hi>{_NUM})\s?(?P<unit2>juta|ribu|jt|rb|k|m)?)?"
    rf"(?:\s?,-|\s?,00)?\s?(?P<cur2>{_CUR})?"
    r"(?:\s?(?:/|tiap|per|dalam|a|an)?\s?(?P<period>bulan|hari|minggu|tahun|jam)\b)?",
)
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")

_AGE = re.compile(
    r"\b(?:usia|umur|age|u)\s?:?\s?(?:(?P<bound>minimal|maksimal|dibawah|di bawah|diatas|di atas)\s?)?"
    r"(?P<a>\d{2})(?:\s?(?:-|–|sampai|s/d|~|to)\s?(?P<b>\d{2}))?(?:\s?tahun)?"
    r"|\b(?P<c>\d{2})\s?(?:-|–|sampai)\s?(?P<d>\d{2})\s?tahun\b"
    r"|\b(?P<bound2>minimal|maksimal)\s?(?P<e>\d{2})\s?tahun\b"
)
_GENDER = re.compile(r"\b(?P<f>wanita)\b|\b(?P<m>pria)\b")

_TLD = r"(?:com|id|net|org|info|co|me|biz|xyz|io|my|sg|tw|hk|jp|kr|cn|site|online|asia|top|app)"
_EMAIL = re.compile(rf"[a-z0-9][a-z0-9._%+\-]*\s?@\s?[a-z0-9\-]+(?:\s?\.\s?[a-z0-9\-]+)*\s?\.\s?{_TLD}\b")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9\-]+\.)+(?:com|id|net|org|info|xyz|me|ly|gl|site|online|top|link|click|io|co|biz|"
    r"asia|app|cc|ee|gle|tk|ml|ga|cf|gq|icu|vip|shop|store|work|jobs|my\.id|web\.id)\b(?:/[^\s<>\"']*)?"
)
_TELEGRAM = re.compile(r"\b(?:t\.me|telegram\.me)/(?P<h>[a-z0-9_]{3,32})|\btelegram\s?:?\s?@(?P<h2>[a-z0-9_]{3,32})")
_INSTAGRAM = re.compile(r"\b(?:instagram\.com/|instagram\s?:?\s?@)(?P<h>[a-z0-9_.]{2,30})")
_HANDLE = re.compile(r"(?<![\w@.])@(?P<h>[a-z0-9_][a-z0-9_.]{1,29})")

SHORTLINK_DOMAINS = frozenset({
    "bit.ly", "s.id", "tinyurl.com", "cutt.ly", "linktr.ee", "forms.gle", "wa.me", "t.me", "rb.gy",
    "shorturl.at", "ow.ly", "is.gd", "tiny.cc", "heylink.me", "lynk.id", "msha.ke", "bitly.com",
})
FREEMAIL_DOMAINS = frozenset({
    "gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "hotmail.com", "outlook.com", "live.com",
    "aol.com", "mail.com", "protonmail.com", "proton.me", "icloud.com", "gmx.com", "yandex.com",
})


def _span(norm: NormalisedText, start: int, end: int) -> tuple[str, int, int]:
    """The original words behind a normalised span, without surrounding spaces or punctuation."""
    a, b = norm.original_span(start, end)
    text = norm.original
    while a < b and (text[a].isspace() or text[a] in ",;:"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:.!?)"):
        b -= 1
    return text[a:b], a, b


# A cheap pre-filter (phonenumbers' own matcher costs ~1 ms an ad): a run of digits and separators
# starting like a phone number; phonenumbers then parses and validates each candidate.
_PHONE_CANDIDATE = re.compile(r"(?<![\w.,])(?:\+\s?|\(?)(?:0|62|\d{2,3}\s)[\d\s\-.()]{6,20}\d(?![\d])")


def _phones(norm: NormalisedText) -> list[Contact]:
    found = []
    for match in _PHONE_CANDIDATE.finditer(norm.text):
        raw = match.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if _THOUSANDS.fullmatch(raw) or not (raw.startswith(("0", "+", "(0")) or digits.startswith("62")):
            continue
        if not 9 <= len(digits) <= 15:
            continue
        try:
            number = phonenumbers.parse(raw, "ID")
        except phonenumbers.NumberParseException:
            continue
        national = str(number.national_number)
        plausible_mobile = number.country_code == 62 and national.startswith("8") and 9 <= len(national) <= 12
        if not (phonenumbers.is_valid_number(number) or plausible_mobile):
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Contact("phone", e164, *_span(norm, match.start(), match.end())))
    return found


def _contacts_in(norm: NormalisedText) -> list[Contact]:
    text = norm.text
    contacts = _phones(norm)
    email_spans: list[tuple[int, int]] = []
    has_at = "@" in text
    for match in _EMAIL.finditer(text) if has_at else ():
        email_spans.append(match.span())
        value = re.sub(r"\s", "", match.group(0))
        contacts.append(Contact("email", value, *_span(norm, *match.span())))

    def inside_email(start: int) -> bool:
        return any(a <= start < b for a, b in email_spans)

    for match in _URL.finditer(text):
        if inside_email(match.start()):
            continue
        contacts.append(Contact("url", match.group(0).rstrip(".,;:!?)"), *_span(norm, *match.span())))
    taken: set[int] = set()
    handle_patterns = ((_TELEGRAM, "telegram"), (_INSTAGRAM, "instagram"), (_HANDLE, "handle"))
    for pattern, kind in handle_patterns if (has_at or "t.me/" in text or "instagram.com" in text) else ():
        for match in pattern.finditer(text):
            if inside_email(match.start()) or match.start() in taken:
                continue
            handle = match.group("h") or (match.groupdict().get("h2") or "")
            handle_start = match.start("h") if match.group("h") else match.start("h2")
            taken.add(handle_start - 1)
            taken.add(match.start())
            contacts.append(Contact(kind, handle.rstrip("."), *_span(norm, *match.span())))
    return sorted(contacts, key=lambda c: (c.start, c.end))


def find_contacts(text: str | NormalisedText) -> list[Contact]:
    """Phones (E.164), e-mails, URLs and handles, including evasive spellings; spans in the original text.

    The service uses this to link ads that share a contact and to pseudonymise exports: replacing
    each returned span leaves no recoverable number, address or handle.
    """
    norm = text if isinstance(text, NormalisedText) else normalise(text)
    return _contacts_in(norm)


def _number(raw: str) -> float:
    if _THOUSANDS.fullmatch(raw):
        return float(re.sub(r"[.,]", "", raw))
    return float(raw.replace(",", "."))


def _money(norm: NormalisedText) -> list[Money]:
    found = []
    for match in _MONEY.finditer(norm.text):
        currency_word = match.group("cur") or match.group("cur2") or match.group("cur_hi")
        unit = match.group("unit2") or match.group("unit1")
        lo, hi = match.group("lo"), match.group("hi")
        period = match.group("period") or "bulan"
        if unit == "m" and not currency_word:
            continue  # "5 m" is more often metres than millions
        if not currency_word and not unit and not (_THOUSANDS.fullmatch(hi or lo) and _number(hi or lo) >= 100_000):
            continue
        if currency_word is None and unit is None and match.group("period") is None and "," in (hi or lo):
            continue
        currency = _CURRENCY_WORDS.get(currency_word, "idr") if currency_word else "idr"
        amount = _number(hi or lo) * _MULTIPLIERS.get(unit or "", 1.0)
        if currency == "idr" and amount < 1_000:
            continue  # "Rp 5" with no unit is a typo or a count, not pay
        monthly = amount * IDR_PER_UNIT[currency] * _PER_MONTH[period]
        found.append(Money(*_span(norm, match.start(), match.end()), amount, currency, period, monthly))
    return found


def _ages(norm: NormalisedText) -> list[AgeRange]:
    found = []
    for match in _AGE.finditer(norm.text):
        groups = match.groupdict()
        bound = groups["bound"] or groups["bound2"]
        first = groups["a"] or groups["c"] or groups["e"]
        second = groups["b"] or groups["d"]
        low: int | None = int(first) if first else None
        high: int | None = int(second) if second else None
        if high is None and bound in ("maksimal", "dibawah", "di bawah"):
            low, high = None, low
        elif high is None and bound is None:
            high = low
        if (low is not None and not 14 <= low <= 70) or (high is not None and not 14 <= high <= 70):
            continue
        found.append(AgeRange(*_span(norm, match.start(), match.end()), low, high))
    return found


@lru_cache(maxsize=2)
def _place_pattern(table: str) -> tuple[re.Pattern[str], dict[str, Place]]:
    places = destinations() if table == "destinations" else transit_towns()
    by_alias = {alias: place for place in places for alias in place.aliases}
    aliases = sorted(by_alias, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b")
    return pattern, by_alias


def _places(norm: NormalisedText, table: str, kind: str) -> list[Mention]:
    pattern, by_alias = _place_pattern(table)
    mentions = []
    for match in pattern.finditer(norm.text):
        place = by_alias[match.group(0)]
        mentions.append(Mention(kind, place.name, *_span(norm, *match.span()), risk=place.risk))
    return mentions


def _genders(norm: NormalisedText) -> list[Mention]:
    return [Mention("gender", "female" if m.group("f") else "male", *_span(norm, *m.span()))
            for m in _GENDER.finditer(norm.text)]


def extract_entities(norm: NormalisedText) -> Entities:
    """All entities of one normalised ad."""
    return Entities(
        contacts=_contacts_in(norm),
        money=_money(norm),
        ages=_ages(norm),
        genders=_genders(norm),
        destinations=_places(norm, "destinations", "destination"),
        transit_towns=_places(norm, "transit", "transit_town"),
    )


def domain_of(contact: Contact) -> str:
    """The host a URL or e-mail contact points at (`recruitment-pertamina.info`), lowercase."""
    if contact.kind == "email":
        return contact.value.rsplit("@", 1)[-1]
    if contact.kind == "url":
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", contact.value).split("/", 1)[0]
        return host.split(":", 1)[0]
    return ""
