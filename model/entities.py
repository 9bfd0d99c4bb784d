"""Finds the facts an ad states: contacts, pay, ages, genders, destinations and transit towns.

Everything is found on the normalised text (so `nol delapan satu dua ...` and `08l2 3456 789O` are
numbers) and reported with spans in the original text. `find_contacts` is the finder the service
reuses to link ads and to pseudonymise exports.
"""

from __future__ import annotations

import re
import unicodedata
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
# E-mails as evaders write them: `hrd [at] gmail [dot] com`, `hrd{at}gmail(titik)com`, `hrd at gmail dot com`,
# `hrd[@]gmail[.]com`, `h r d @ gmail . c o m` (the normaliser has already turned `(at)`, `[dot]` into `@`, `.`).
_AT_FORM = r"\s?[\[({<]\s?(?:@|at)\s?[\])}>]\s?|\sat\s"
_DOT_FORM = r"\s?[\[({<]\s?(?:\.|dot|titik)\s?[\])}>]\s?|\s(?:dot|titik)\s"
_SPACED_TLD = "|".join(" ".join(tld) for tld in ("com", "net", "org", "co", "id"))
# Possessive `*+`/`++`: no separator can start inside a local part or label, so giving characters back
# only costs time (it made the finder twice as slow).
_EMAIL = re.compile(
    rf"(?<!\w)(?:[a-z0-9](?: [a-z0-9])+(?= ?@)|[a-z0-9][a-z0-9._%+\-]*+)(?:\s?@\s?|{_AT_FORM})"
    rf"[a-z0-9\-]++(?:(?:\s?\.\s?|{_DOT_FORM})[a-z0-9\-]++)*(?:\s?\.\s?|,|{_DOT_FORM})(?:{_TLD}|{_SPACED_TLD})\b"
)
_EMAIL_AT = re.compile(_AT_FORM)
_EMAIL_DOT = re.compile(_DOT_FORM)
_EMAIL_HINT = re.compile(r"@|\bat\b")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9\-]+\.)+(?:com|id|net|org|info|xyz|me|ly|gl|site|online|top|link|click|io|co|biz|"
    r"asia|app|cc|ee|gle|tk|ml|ga|cf|gq|icu|vip|shop|store|work|jobs|my\.id|web\.id)\b(?:/[^\s<>\"']*)?"
)
_TELEGRAM = re.compile(
    r"\b(?:t|telegram)\s?\.\s?me\s?/\s?@?(?P<h>[a-z0-9_]{3,32})|\btelegram\s?:?\s?@\s?(?P<h2>[a-z0-9_]{3,32})"
)
_INSTAGRAM = re.compile(r"\b(?:instagram\.com/|instagram\s?:?\s?@\s?)(?P<h>[a-z0-9_.]{2,30})")
_HANDLE = re.compile(r"(?<![\w@.])@(?P<h>[a-z0-9_][a-z0-9_.]{1,29})")
_HANDLE_HINT = re.compile(r"@|\.\s?me\s?/|instagram\.com")

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
    while b < len(text) and unicodedata.category(text[b]) in ("Mn", "Me"):
        b += 1  # the marks on the last character (`0\ufe0f\u20e3`, a keycap) belong to it
    return text[a:b], a, b


# Phone numbers. A run of digit groups and whatever recruiters put between them: `0812-3456-7890`,
# `0812*3456*7890`, `0812/3456/7890`, `0812x3456x7890`, a line break. Which groups make one number is
# decided below (`_number_at`), and phonenumbers validates it; the regex alone is a cheap pre-filter
# (phonenumbers' own matcher costs ~1 ms an ad).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, non-breaking hyphen, figure/en/em dash, minus
# A run starts where a number can (`0`, `62`, `+`, `(`) and holds at least 9 digits a few characters apart.
_DIGIT_RUN = re.compile(
    r"(?<!\w)(?<!\d[.,])(?=[0+(]|62)(?=(?:\D{0,4}\d){9})"
    rf"(?:\+\s?|\(\s?\+?\s?)?\d+(?:[\s\-{_DASHES}.*/_x|~•·,()]{{1,4}}\d+)*"
)
_DIGIT_GROUP = re.compile(r"\d+")
_PLAIN_SEPARATORS = frozenset({"", "-", "."})
# A second number may start after a space, line break, `/`, `|` or `,` (`0812.../0857...`), never
# after a lone `.` or `-` (`Rp 10.081.234.567`).
_LIST_BREAK = re.compile(r"[\s/|,]")
# Digits right after these are money or an identity number, never a phone.
_MONEY_OR_ID_BEFORE = re.compile(r"(?:\b(?:rp|idr|usd|rm|sgd|npwp|nik|ktp)|\$)\s?[.:=]?\s?$")
# A bank account (`rek BNI 0418827731 a.n ...`, `ke BCA 0123...`) is not a phone; an e-wallet is one
# (`rek DANA 0831-...`), and so is a number after a contact word (`rek. WA 0822...`, `rek` also being
# East Javanese for "mate").
_ACCOUNT_LABEL = re.compile(
    r"\b(?:no\.? ?rek|norek|rek|rekening|(?P<bank>bca|bri|bni|mandiri|btn|bsi|cimb|permata|danamon))\b"
)
_PHONE_LABEL = re.compile(
    r"\b(?:whatsapp|telepon|telp|tlp|hp|hubungi|kontak|contact|sms|call|telegram|dana|ovo|gopay|shopeepay|linkaja)\b"
)
_MIN_DIGITS, _MAX_DIGITS = 9, 15
_INDONESIAN_MOBILE = re.compile(r"8[1-35-9]\d{7,10}")  # 0811... to 0899..., 9 to 12 digits after the 0


def _separator_kind(separator: str) -> str:
    """`-`, `/`, `*`, ... with spaces, line breaks and brackets dropped (`""` for a plain space)."""
    kind = re.sub(rf"[{_DASHES}]", "-", re.sub(r"[\s()]", "", separator))
    return kind.replace("·", "•")


def _shaped_like_a_phone(groups: list[str], separators: list[str], country_code: bool) -> bool:
    """Whether digit groups and their separators read as one number rather than a date, time or list.

    A number keeps one separator, mixed at most with spaces (`021-4586 7637`, `+62 812-3456-7890`)
    while times mix theirs (`08.00-15.00`). With a separator other than `-` or `.` (`0812*3456*7890`,
    `0812 / 3456 / 7890`) the number opens with its operator or area code (`0812`, `021`), which dates
    never do (`08/12/2025`).
    """
    national, inner = (groups[1:], separators[1:]) if country_code else (groups, separators)
    kinds = {_separator_kind(s) for s in inner}
    marks = kinds - {""}
    if all(len(g) == 1 for g in national):  # `0 8 1 2 3 4 ...`
        return len(marks) <= 1
    if len(national[-1]) < 2 or len(marks) > 1:  # `0812 3456 7890 2 orang`, `08.00-15.00 40`
        return False
    if marks <= _PLAIN_SEPARATORS:
        return True
    return "" not in kinds and (country_code or len(national[0]) >= 3)


def _phone_number(digits: str, international: bool) -> phonenumbers.PhoneNumber | None:
    """The number these digits dial if it is valid (or shaped like an Indonesian mobile), else None."""
    if international and digits.startswith("620"):
        digits = "62" + digits[3:]  # `+62 0812 ...`: the trunk 0 kept after the country code
    try:
        number = phonenumbers.parse("+" + digits if international else digits, "ID")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return number
    plausible = number.country_code == 62 and _INDONESIAN_MOBILE.fullmatch(str(number.national_number))
    return number if plausible else None


def _number_at(text: str, groups: list[re.Match[str]], i: int, plus: bool) -> tuple[int, str] | None:
    """The longest number made of groups i, i+1, ...: (index of its last group, E.164), or None."""
    international = plus or groups[i].group(0).startswith("62")
    names: list[str] = []
    separators: list[str] = []
    ends: list[int] = []
    digits = 0
    for j in range(i, len(groups)):
        if j > i:
            separators.append(text[groups[j - 1].end():groups[j].start()])
        names.append(groups[j].group(0))
        digits += len(names[-1])
        if digits > _MAX_DIGITS + 1:  # +1: a redundant trunk 0 after +62
            break
        if digits >= _MIN_DIGITS:
            ends.append(j)
    for j in reversed(ends):
        count = j - i + 1
        country_code = international and count > 1 and len(names[0]) <= 3
        if not _shaped_like_a_phone(names[:count], separators[:count - 1], country_code):
            continue
        number = _phone_number("".join(names[:count]), international)
        if number is not None:
            return j, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _starts_a_number(text: str, groups: list[re.Match[str]], i: int, plus: bool) -> bool:
    """Whether group i can open a number: `+`, `62`, or a trunk 0, at the start of the run or after a break."""
    if i > 0 and _LIST_BREAK.search(text, groups[i - 1].end(), groups[i].start()) is None:
        return False
    first = groups[i].group(0)
    return plus or first.startswith("62") or (first[0] == "0" and first[1:2] != "0")


def _is_money_or_account(text: str, start: int) -> bool:
    """Whether the words just before a number (same line) make it money, an ID or a bank account."""
    before = text[max(0, start - 32):start].rsplit("\n", 1)[-1]
    if _MONEY_OR_ID_BEFORE.search(before):
        return True
    labels = list(_ACCOUNT_LABEL.finditer(before))
    if not labels:
        return False
    label = labels[-1]
    between = before[label.end():]
    if _PHONE_LABEL.search(before if label.group("bank") else between):
        return False
    return not label.group("bank") or re.fullmatch(r"[\s.:=]*", between) is not None


def _opening(text: str, run_start: int, digits_start: int, end: int) -> int:
    """Where a number written with `+` or `(` starts: at `(` only if the number closes it (`(021) 555`)."""
    opening = text[run_start:digits_start]
    if "(" in opening and ")" in text[digits_start:end]:
        return run_start
    return run_start + opening.index("+") if "+" in opening else digits_start


def _phones(norm: NormalisedText) -> list[Contact]:
    """Every phone number, each run of digits read left to right into as many numbers as it holds."""
    text = norm.text
    found = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_DIGIT_GROUP.finditer(text, run.start(), run.end()))
        if sum(len(g.group(0)) for g in groups) < _MIN_DIGITS:
            continue
        plus = "+" in text[run.start():groups[0].start()]
        i = 0
        while i < len(groups):
            number = _number_at(text, groups, i, plus and i == 0) \
                if _starts_a_number(text, groups, i, plus and i == 0) else None
            if number is None:
                i += 1
                continue
            last, e164 = number
            start = groups[i].start() if i else _opening(text, run.start(), groups[0].start(), groups[last].end())
            if not _is_money_or_account(text, start):
                found.append(Contact("phone", e164, *_span(norm, start, groups[last].end())))
            i = last + 1
    return found


def _emails(norm: NormalisedText) -> list[Contact]:
    """E-mail addresses however their `@` and dots are disguised, as plain lowercase addresses."""
    found = []
    for match in _EMAIL.finditer(norm.text):
        written = match.group(0)
        value = re.sub(r"\s", "", _EMAIL_DOT.sub(".", _EMAIL_AT.sub("@", written))).replace(",", ".")
        bare_word_at = "@" not in written and not re.search(r"[\[({<]", written)
        if bare_word_at and " dot " not in written and " titik " not in written \
                and value.rsplit("@", 1)[-1] not in FREEMAIL_DOMAINS:
            continue  # `apply at jobstreet.com` is a sentence, `hrd at gmail.com` an address
        found.append(Contact("email", value, *_span(norm, *match.span())))
    return found


def _contacts_in(norm: NormalisedText) -> list[Contact]:
    text = norm.text
    contacts = _phones(norm)
    emails = _emails(norm) if _EMAIL_HINT.search(text) else []
    contacts.extend(emails)
    email_spans = [(e.start, e.end) for e in emails]

    def inside_email(start: int) -> bool:
        original = norm.starts[start] if start < len(norm.starts) else len(norm.original)
        return any(a <= original < b for a, b in email_spans)

    for match in _URL.finditer(text):
        if inside_email(match.start()):
            continue
        contacts.append(Contact("url", match.group(0).rstrip(".,;:!?)"), *_span(norm, *match.span())))
    taken: set[int] = set()
    handle_patterns = ((_TELEGRAM, "telegram"), (_INSTAGRAM, "instagram"), (_HANDLE, "handle"))
    for pattern, kind in handle_patterns if _HANDLE_HINT.search(text) else ():
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
