"""The words that are never a person's name in an ad (ordinary words, places, brands, job titles, months),
and the given names that are also ordinary words.

The lists live in `data/` as plain text with their provenance; this module loads them once and answers
"could this word be a name?" with Indonesian affixes taken off (`lowongannya`, `dihubungi`, `kakak2`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from model.reference import destinations, employers, transit_towns
from model.slang import SLANG
from service.research.name_cues import (
    COMPANY_MARKERS,
    CONTACT_CUES,
    FILLERS,
    HONORIFICS,
    LIST_JOINERS,
    ROLE_CUES,
    STREET_MARKERS,
    STREET_WORDS,
    VENUE_WORDS,
)

# A word as names are written: letters, with an inner apostrophe or hyphen (Ma'ruf, Jean-Paul, ibu-ibu).
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

MONTHS_AND_DAYS: frozenset[str] = frozenset({
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
    "november", "desember", "january", "february", "march", "may", "june", "july", "august", "october",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "agu", "agt", "sep", "sept", "okt", "oct", "nov",
    "des", "dec", "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "hari", "tanggal", "tgl",
})

# Job titles and roles that follow a contact word in place of a name ("hubungi HRD", "chat Admin").
JOB_WORDS: frozenset[str] = ROLE_CUES | frozenset({
    "personalia", "rekrutmen", "recruitment", "operator", "sopir", "supir", "driver", "kurir", "satpam",
    "security", "sales", "kasir", "cashier", "cs", "customer", "service", "center", "helpdesk", "hotline",
    "rt", "rw", "lurah", "camat", "kades", "kepala", "guru", "bidan", "perawat", "dokter", "tukang", "kenek",
    "kuli", "buruh", "helper", "crew", "waiter", "waitress", "pelayan", "koki", "chef", "cook", "barista",
    "leader", "panitia", "direktur", "director", "ceo", "founder", "trainer", "mentor", "tutor", "team",
    "tim", "officer", "head", "personnel", "karyawan", "pegawai", "pekerja", "tki", "tkw", "pmi", "abk",
    "lc", "spg", "spb", "ob", "art", "prt", "plrt", "mandor", "sekuriti", "resepsionis", "receptionist",
    "keuangan", "finance", "accounting", "akuntansi", "produksi", "logistik", "gudang", "humas", "legal",
    "dept", "department", "coordinator", "nurse", "caregiver", "kepsek", "kacab", "pemkab", "pemkot", "pemprov",
    "pemda", "dinas", "disnaker", "disnakertrans", "kemnaker", "kemenaker", "kemenkes", "kemlu", "bp2mi",
    "polri", "polisi", "polres", "polda", "tni", "kantor", "prov", "kab", "kabupaten", "kota", "kecamatan",
    "desa", "kelurahan",
    # workplaces written in English after "bos" or a contact word ("contact bos farm", "chat office")
    "farm", "factory", "office", "company", "warehouse", "restaurant", "plantation", "site", "project",
})
# Kin nouns that follow an address without being a name ("adik/ponakan", "bapak ibunya").
KIN_NOUNS: frozenset[str] = frozenset({
    "ponakan", "keponakan", "suami", "istri", "anak", "ortu", "mertua", "ipar", "sepupu", "saudara", "keluarga",
})


def _lines(filename: str) -> list[str]:
    text = resources.files("service.research.data").joinpath(filename).read_text(encoding="utf-8")
    return [line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's Indonesian and English stop words, imported on first use: importing spaCy pulls in thinc and
    torch (seconds), and every `lokerwatch` command imports this module, most of them never reading a name."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
    from spacy.lang.id.stop_words import STOP_WORDS as INDONESIAN_STOP_WORDS

    return frozenset(INDONESIAN_STOP_WORDS) | frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary words: the generated ad vocabulary, regional and chat words, stop words, the model's slang."""
    slang = set(SLANG) | set(SLANG.values())
    return (frozenset(_lines("common_words.txt")) | frozenset(_lines("regional_words.txt"))
            | stop_words() | slang)


@lru_cache(maxsize=1)
def never_names() -> frozenset[str]:
    """Words and phrases that are not a person after any cue: places, brands, employers, jobs, cue words."""
    places = {alias for place in (*destinations(), *transit_towns()) for alias in (place.name, *place.aliases)}
    firms = {alias for employer in employers() for alias in (employer.name, *employer.aliases)}
    return (frozenset(_lines("places.txt")) | frozenset(_lines("brands.txt")) | frozenset(places)
            | frozenset(firms) | JOB_WORDS | KIN_NOUNS | CONTACT_CUES | FILLERS | LIST_JOINERS | COMPANY_MARKERS
            | VENUE_WORDS | STREET_MARKERS | STREET_WORDS | HONORIFICS)


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Given names that are also ordinary words (Budi, Indah, Mei): names after an honorific only."""
    return frozenset(_lines("name_words.txt"))


_SUFFIXES = ("nya", "lah", "kah", "pun", "ku", "mu", "kan", "an", "i", "in", "ny")
# Prefix and the letter it replaced: "meny-apu" was "sapu", "mem-ukul" was "pukul".
_PREFIXES = (("meng", ""), ("meng", "k"), ("meny", "s"), ("mem", "p"), ("mem", ""), ("men", "t"), ("men", ""),
             ("me", ""), ("peng", ""), ("peng", "k"), ("peny", "s"), ("pem", "p"), ("pem", ""), ("pen", "t"),
             ("pen", ""), ("per", ""), ("pe", ""), ("ber", ""), ("be", ""), ("ter", ""), ("di", ""), ("ke", ""),
             ("se", ""), ("ng", ""), ("nge", ""))
MIN_ROOT = 4


_VOWELS = set("aeiouy")
# Chat drops the e of a first syllable ("slama", "brangkat", "trima"), Malay dialects of Kalimantan and
# Riau end words in e where Indonesian has a ("semue", "katanye", "biase").
_SYNCOPE = re.compile(r"^(?P<first>[bcdfghjklmnpqrstvwz])(?P<second>[lr])")


def candidate_roots(word: str) -> list[str]:
    """The word and the roots it may be built on, with affixes and reduplication taken off."""
    chat = word.islower()  # dialect and chat spellings are read only on words written in lowercase
    word = word.lower().replace("’", "'")
    forms = [word, re.sub(r"2+$", "", word)]
    if "-" in word:
        forms.extend(word.split("-"))
    if chat and _SYNCOPE.match(word):
        forms.append(_SYNCOPE.sub(r"\g<first>e\g<second>", word))
    if chat and word.endswith("e"):
        forms.append(word[:-1] + "a")
    roots: list[str] = []
    for form in forms:
        stems = [form, *(form[: -len(s)] for s in _SUFFIXES if form.endswith(s) and len(form) - len(s) >= MIN_ROOT)]
        for stem in stems:
            roots.append(stem)
            roots.extend(letter + stem[len(prefix):] for prefix, letter in _PREFIXES
                         if stem.startswith(prefix) and len(stem) - len(prefix) + len(letter) >= MIN_ROOT)
    return roots


def is_common(word: str) -> bool:
    """An ordinary word, as written or once its affixes are taken off."""
    vocabulary = common_words()
    return any(root in vocabulary for root in candidate_roots(word))


_CLITICS = re.compile(r"(?:nya|ny|nye|lah|kah|pun|ku|mu)$")


def is_never_a_name(word: str) -> bool:
    """A place, brand, job, cue or kin word, as written or with a clitic ("ibunya", "adminnya"); other
    affixes are not taken off here, since they would turn names into places ("Riyadi" is not Riyad)."""
    never = never_names()
    lowered = word.lower()
    plain = re.sub(r"2+$", "", lowered)
    return any(form in never for form in (lowered, plain, _CLITICS.sub("", plain)))


def is_function_word(word: str) -> bool:
    """A stop word, month or day: never part of a name, even capitalised inside one ("Bu Ratna Untuk ...")."""
    lowered = word.lower()
    return lowered in stop_words() or lowered in MONTHS_AND_DAYS


def has_vowel(word: str) -> bool:
    """Names have vowels; chat abbreviations often have none ("slmt", "gw", "kyk")."""
    return any(letter in _VOWELS for letter in word.lower())
