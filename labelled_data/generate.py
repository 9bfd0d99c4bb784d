"""Writes lokerwatch's team-written labelled job ads to `labelled_data/team_v1.jsonl`, deterministically.

Why a generator: 3,000+ varied ads cannot be written by hand, and a script can be reviewed, rerun and
diffed. Every ad comes from a *modus builder* (what the ad says: the facts, the red flags, the decisive
detail) rendered by one *voice* (how an author writes: layout, vocabulary, abbreviations, typos,
emoji). Each voice keeps its own subset of every phrase list, so voices differ in wording as well as
in layout, and a model can be tested on voices it never saw (GroupKFold on `group`).

    python labelled_data/generate.py            # rewrite team_v1.jsonl
    python labelled_data/generate.py --stats    # print the datasheet tables (markdown)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

SEED = 20261125
VERSION = "team-v1"
OUT = Path(__file__).with_name("team_v1.jsonl")

LABEL_OF_MODUS = {
    "online_scam_compound": "trafficking",
    "sexual_exploitation": "trafficking",
    "bride_trafficking": "trafficking",
    "nonprocedural_migrant": "trafficking",
    "ship_crew": "trafficking",
    "fee_fraud": "scam",
    "task_scam": "scam",
    "impersonation": "scam",
    "legit_local": "legit",
    "legit_overseas_p3mi": "legit",
    "legit_entertainment": "legit",
    "legit_remote_cs": "legit",
    "legit_high_pay": "legit",
    "legit_entry_training": "legit",
}

# ---------------------------------------------------------------------------------------------
# Slot values. Places are real; companies, people, numbers and look-alike domains are invented.
# ---------------------------------------------------------------------------------------------

CITIES = [
    "Jakarta Barat",
    "Jakarta Timur",
    "Jakarta Utara",
    "Jakarta Selatan",
    "Bekasi",
    "Tangerang",
    "Tangerang Selatan",
    "Depok",
    "Bogor",
    "Bandung",
    "Cimahi",
    "Cirebon",
    "Semarang",
    "Solo",
    "Yogyakarta",
    "Sleman",
    "Surabaya",
    "Sidoarjo",
    "Gresik",
    "Malang",
    "Kediri",
    "Jember",
    "Medan",
    "Deli Serdang",
    "Pekanbaru",
    "Palembang",
    "Padang",
    "Jambi",
    "Bandar Lampung",
    "Makassar",
    "Manado",
    "Denpasar",
    "Badung",
    "Batam",
    "Balikpapan",
    "Samarinda",
    "Pontianak",
    "Banjarmasin",
    "Kupang",
    "Mataram",
    "Serang",
    "Cilegon",
    "Karawang",
    "Cikarang",
    "Purwakarta",
    "Kudus",
    "Tegal",
    "Purwokerto",
    "Tasikmalaya",
    "Garut",
    "Banyuwangi",
    "Probolinggo",
    "Pasuruan",
]
INDUSTRIAL = [
    "Cikarang",
    "Karawang",
    "Purwakarta",
    "Cilegon",
    "Batam",
    "Gresik",
    "Pasuruan",
    "Sidoarjo",
    "Tangerang",
    "Bekasi",
    "Serang",
    "Kudus",
]
ORIGIN_AREAS = [
    "Kupang",
    "Sumba Barat Daya",
    "Flores Timur",
    "Lombok Timur",
    "Lombok Tengah",
    "Indramayu",
    "Cianjur",
    "Sukabumi",
    "Karawang",
    "Singkawang",
    "Sambas",
    "Cilacap",
    "Brebes",
    "Banyuwangi",
    "Blitar",
    "Ponorogo",
    "Lampung Timur",
    "Subang",
    "Kendal",
    "Tulungagung",
    "Malang Selatan",
]
BORDER_TOWNS = [
    "Entikong",
    "Nunukan",
    "Batam",
    "Tanjung Pinang",
    "Dumai",
    "Tarakan",
    "Tanjung Balai Karimun",
    "Atambua",
    "Sebatik",
    "Bengkalis",
]
DEPART_CITIES = ["Jakarta", "Medan", "Batam", "Surabaya", "Denpasar", "Makassar", "Pontianak"]

COMPOUND_DESTS = [
    ("Kamboja", ["Phnom Penh", "Sihanoukville", "Bavet", "Poipet"]),
    ("Myanmar", ["Myawaddy", "Shwe Kokko", "perbatasan Thailand-Myanmar"]),
    ("Thailand", ["Bangkok", "Mae Sot"]),
    ("Laos", ["Bokeo", "Golden Triangle"]),
    ("Filipina", ["Pampanga", "Manila"]),
]
MALAYSIA_PLACES = [
    "Johor Bahru",
    "Kuala Lumpur",
    "Kuching",
    "Tawau",
    "Kota Kinabalu",
    "Sandakan",
    "Penang",
    "Selangor",
    "Miri",
    "Melaka",
]
# Countries named by Kepmenaker 260/2015 (see ../shared/reference): no domestic work placement there.
MIDDLE_EAST_260 = [
    "Arab Saudi",
    "Uni Emirat Arab",
    "Kuwait",
    "Qatar",
    "Oman",
    "Bahrain",
    "Yordania",
    "Mesir",
    "Irak",
    "Lebanon",
]
BRIDE_DESTS = ["China", "Tiongkok", "Taiwan", "Hebei (China)", "Shandong", "Guangzhou", "Taipei"]
FISHING_PORTS = ["Benoa", "Pemalang", "Tegal", "Muara Baru", "Bitung", "Cilacap", "Pekalongan"]
FISHING_WATERS = [
    "perairan Afrika",
    "Samudra Hindia",
    "Samudra Pasifik",
    "perairan Fiji",
    "Mauritius",
    "perairan Peru",
    "laut Somalia",
]

FIRST_NAMES = [
    "Rina",
    "Hendra",
    "Yoga",
    "Dewi",
    "Sari",
    "Afung",
    "Ucok",
    "Melly",
    "Tuti",
    "Bayu",
    "Wulan",
    "Joko",
    "Nia",
    "Rizky",
    "Putri",
    "Agus",
    "Lina",
    "Fajar",
    "Indah",
    "Dodi",
    "Siska",
    "Anton",
    "Maya",
    "Rudi",
    "Vivi",
    "Hasan",
    "Nurul",
    "Eko",
    "Fitri",
    "Gilang",
]

CO_A = [
    "Cahaya",
    "Lintas",
    "Mitra",
    "Bumi",
    "Karya",
    "Anugerah",
    "Samudra",
    "Gemilang",
    "Nusa",
    "Prima",
    "Tirta",
    "Cipta",
    "Duta",
    "Graha",
    "Sinar",
    "Mega",
    "Bina",
    "Arta",
    "Citra",
    "Kencana",
    "Wahana",
    "Pilar",
    "Surya",
    "Dirga",
    "Lentera",
    "Sekar",
    "Mahkota",
    "Panca",
    "Tunas",
    "Kenari",
]
CO_B = [
    "Selaras",
    "Lestari",
    "Perkasa",
    "Mandala",
    "Sejahtera",
    "Utama",
    "Abadi",
    "Makmur",
    "Sentosa",
    "Persada",
    "Mulia",
    "Santosa",
    "Raya",
    "Pratama",
    "Bersinar",
    "Harmoni",
    "Kreasi",
    "Gemintang",
    "Tangguh",
    "Pesona",
    "Lumbung",
    "Dinamika",
    "Cemerlang",
    "Bestari",
    "Wibawa",
]
CO_C = [
    "Indonesia",
    "Nusantara",
    "Group",
    "Internasional",
    "Logistik",
    "Solusi",
    "Teknik",
    "Retail",
    "Digital",
    "Food",
    "Tekstil",
    "Global",
    "Elektrindo",
    "Farma",
    "",
    "",
    "",
]

# Big employers that fake recruiters name. Domains are the firms' public ones, for the legit side of
# impersonation pairs; look-alike domains below are invented patterns, not known live sites.
BIG_FIRMS = [
    ("PT Pertamina (Persero)", "pertamina", "pertamina.com"),
    ("PT Telkom Indonesia", "telkom", "telkom.co.id"),
    ("PT Angkasa Pura", "angkasapura", ""),
    ("Bank Mandiri", "mandiri", "bankmandiri.co.id"),
    ("PT Indofood Sukses Makmur", "indofood", "indofood.com"),
    ("PT Freeport Indonesia", "freeport", "ptfi.co.id"),
    ("Bank BRI", "bri", "bri.co.id"),
    ("PT PLN (Persero)", "pln", "pln.co.id"),
    ("PT Kereta Api Indonesia", "kai", "kai.id"),
    ("Garuda Indonesia", "garuda", "garuda-indonesia.com"),
    ("Astra International", "astra", "astra.co.id"),
    ("Bank BNI", "bni", "bni.co.id"),
]

MOBILE_PREFIXES = [
    "0811",
    "0812",
    "0813",
    "0821",
    "0822",
    "0823",
    "0851",
    "0852",
    "0853",
    "0814",
    "0815",
    "0816",
    "0817",
    "0818",
    "0819",
    "0859",
    "0877",
    "0878",
    "0831",
    "0832",
    "0833",
    "0838",
    "0881",
    "0882",
    "0883",
    "0887",
    "0888",
    "0895",
    "0896",
    "0897",
    "0898",
    "0899",
    "0855",
    "0856",
    "0857",
    "0858",
]

DIGIT_WORDS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def stable_hash(*parts: str) -> int:
    """A hash that is the same on every run and machine (Python's own hash() is salted)."""
    return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12], 16)


def maybe(r: random.Random, p: float) -> bool:
    return r.random() < p


def some(r: random.Random, items: Sequence[str], lo: int, hi: int) -> list[str]:
    """A random subset of `items` in random order, between lo and hi long."""
    k = min(len(items), r.randint(lo, hi))
    return r.sample(list(items), k)


class PhoneBook:
    """Hands out fictional but valid-looking Indonesian mobile numbers, never the same one twice."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            digits = self.r.choice(MOBILE_PREFIXES) + "".join(
                str(self.r.randint(0, 9)) for _ in range(self.r.choice([7, 8, 8, 8]))
            )
            if digits not in self.used:
                self.used.add(digits)
                return digits


def fmt_phone(r: random.Random, digits: str) -> str:
    """A phone number written the many ways people write them."""
    local = digits[1:]
    parts = [digits[:4], digits[4:8], digits[8:]]
    style = r.randint(0, 8)
    if style == 0:
        return "-".join(p for p in parts if p)
    if style == 1:
        return " ".join(p for p in parts if p)
    if style == 2:
        return digits
    if style == 3:
        return "+62 " + local[:3] + "-" + local[3:7] + "-" + local[7:]
    if style == 4:
        return "+62" + local
    if style == 5:
        return "62" + local
    if style == 6:
        return "wa.me/62" + local
    if style == 7:
        return ".".join(p for p in parts if p)
    return digits[:4] + " " + digits[4:]


def jt(amount: int) -> str:
    """4_500_000 -> '4,5'."""
    value = amount / 1_000_000
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def amount_text(amount: int, style: int) -> str:
    """One amount in one of eight house styles; millions in 'jt' forms, smaller sums in 'rb'/'ribu'."""
    if amount < 1_000_000:
        k = amount // 1000
        return [
            f"Rp {rupiah(amount)}",
            f"Rp{rupiah(amount)},-",
            f"{k}rb",
            f"{k} ribu",
            f"Rp {k}rb",
            f"IDR {amount:,}",
            f"{k}K",
            f"{k}RB",
        ][style]
    return [
        f"Rp {rupiah(amount)}",
        f"Rp{rupiah(amount)},-",
        f"{jt(amount)}jt",
        f"{jt(amount)} juta",
        f"Rp {jt(amount)} jt",
        f"IDR {amount:,}",
        f"{amount // 1000}K",
        f"{jt(amount)}JT",
    ][style]


def idr(r: random.Random, lo: int, hi: int | None = None, per: str = "") -> str:
    """An IDR amount or range in one of the forms Indonesian ads use."""
    style = r.randint(0, 7)
    if hi is None:
        return amount_text(lo, style) + per
    sep = r.choice([" - ", "-", " s/d ", " sampai "])
    return amount_text(lo, style) + sep + amount_text(hi, style) + per


def money_between(r: random.Random, lo: int, hi: int, step: int = 250_000) -> int:
    return r.randrange(lo // step, hi // step + 1) * step


def foreign(r: random.Random, currency: str, lo: int, hi: int, step: int = 50) -> str:
    amount = r.randrange(lo // step, hi // step + 1) * step
    amount_text = f"{amount:,}".replace(",", r.choice([",", "."]))
    forms = {
        "USD": [f"USD {amount_text}", f"${amount_text}", f"{amount_text} USD", f"{amount_text}$", f"US$ {amount_text}"],
        "RM": [f"RM {amount_text}", f"RM{amount_text}", f"{amount_text} ringgit"],
        "NTD": [f"NT$ {amount_text}", f"NTD {amount_text}", f"{amount_text} NT"],
        "HKD": [f"HKD {amount_text}", f"HK$ {amount_text}"],
        "JPY": [f"¥{amount_text}", f"{amount_text} yen", f"JPY {amount_text}"],
        "KRW": [f"₩{amount_text}", f"{amount_text} won", f"KRW {amount_text}"],
        "SAR": [f"SAR {amount_text}", f"{amount_text} riyal"],
        "EUR": [f"€{amount_text}", f"EUR {amount_text}", f"{amount_text} euro"],
        "USDT": [f"{amount_text} USDT", f"USDT {amount_text}"],
    }[currency]
    return r.choice(forms)


def company(r: random.Random, kind: str = "PT") -> str:
    parts = [r.choice(CO_A), r.choice(CO_B), r.choice(CO_C)]
    return " ".join([kind, *[p for p in parts if p]])


def slug(name: str) -> str:
    words = [w for w in re.sub(r"[^a-z ]", "", name.lower()).split() if w not in {"pt", "cv"}]
    return "".join(w[:5] for w in words[:3])


def shortcode(r: random.Random, n: int = 6) -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(r.choice(alphabet) for _ in range(n))


FEMALE = {
    "Rina",
    "Dewi",
    "Sari",
    "Melly",
    "Tuti",
    "Wulan",
    "Nia",
    "Putri",
    "Lina",
    "Indah",
    "Siska",
    "Maya",
    "Vivi",
    "Nurul",
    "Fitri",
}
HONORIFIC_BY_GENDER = {True: ["Bu", "Kak", "Mbak", "Ci", "Teh"], False: ["Pak", "Mas", "Kak", "Bang", "Koh", "Om"]}


def person(r: random.Random) -> str:
    name = r.choice(FIRST_NAMES)
    return f"{r.choice(HONORIFIC_BY_GENDER[name in FEMALE])} {name}"


def age_range(r: random.Random, lo: tuple[int, int], hi: tuple[int, int]) -> str:
    a, b = r.randint(*lo), r.randint(*hi)
    return r.choice(
        [
            f"Usia {a}-{b} tahun",
            f"Umur {a} - {b} th",
            f"usia max {b} thn",
            f"Usia {a} s/d {b} tahun",
            f"umur {a}-{b}",
            f"Usia maksimal {b} tahun",
        ]
    )


# ---------------------------------------------------------------------------------------------
# What an ad says (built by a modus) and who writes it (a voice)
# ---------------------------------------------------------------------------------------------


@dataclass
class Contact:
    """How the ad asks to be answered; kinds let voices choose how to introduce each line."""

    phone: str = ""
    telegram: str = ""
    email: str = ""
    url: str = ""
    walk_in: str = ""
    name: str = ""


@dataclass
class Draft:
    """The content of one ad before a voice writes it."""

    modus: str
    headline: str
    job: str
    place: str
    pay: str = ""
    company: str = ""
    reqs: list[str] = field(default_factory=list)
    perks: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)
    urgency: str = ""
    flag: str = ""  # the decisive detail of a contrast twin, for `notes`
    key_fact: str = ""  # the fact a contrast pair differs in: short voices must still print it

    @property
    def label(self) -> str:
        return LABEL_OF_MODUS[self.modus]


class Voice:
    """An author's habits; `pick` keeps a fixed, voice-specific subset of every phrase list."""

    def __init__(self, name: str, keep: float) -> None:
        self.name = name
        self.keep = keep

    def pick(self, r: random.Random, options: Sequence[str]) -> str:
        kept = [o for o in options if stable_hash(self.name, o) % 1000 < self.keep * 1000]
        return r.choice(kept or list(options))

    def picks(self, r: random.Random, options: Sequence[str], lo: int, hi: int) -> list[str]:
        kept = [o for o in options if stable_hash(self.name, o) % 1000 < self.keep * 1000]
        pool = kept if len(kept) >= hi else list(options)
        return some(r, pool, lo, hi)


@dataclass
class Ctx:
    """Per-run shared state for the builders."""

    r: random.Random
    phones: PhoneBook


def contact_chat(c: Ctx, v: Voice, tg_p: float = 0.3) -> Contact:
    r = c.r
    contact = Contact(phone=c.phones.new(), name=person(r) if maybe(r, 0.5) else "")
    if maybe(r, tg_p):
        contact.telegram = (
            "@"
            + v.pick(
                r, ["hrd_", "admin_loker_", "rekrutmen_", "info_kerja_", "agency_", "cs_", "loker", "boss_", "mimin_"]
            )
            + (r.choice(FIRST_NAMES).lower() + str(r.randint(1, 99)))
        )
        if maybe(r, 0.5):
            contact.phone = ""
    return contact


def contact_company(c: Ctx, co: str, walk_in_city: str = "") -> Contact:
    """A company's own mailbox and site; small firms often use free mail instead (seen in real ads too)."""
    r = c.r
    domain = slug(co) + r.choice([".co.id", ".com", ".id"])
    contact = Contact(email=r.choice(["hrd", "karir", "recruitment", "rekrutmen", "hr", "lamaran"]) + "@" + domain)
    if maybe(r, 0.25):
        contact.email = (
            r.choice(["hrd.", "", "rekrut.", "karir"])
            + slug(co)
            + r.choice(["", "", str(r.randint(1, 99))])
            + (r.choice(["@gmail.com", "@gmail.com", "@yahoo.com", "@yahoo.co.id"]))
        )
    elif maybe(r, 0.4):
        contact.url = r.choice(["karir.", "www.", "jobs.", ""]) + domain + r.choice(["/karir", "/careers", ""])
    if maybe(r, 0.35):
        contact.phone = c.phones.new()
    if walk_in_city and maybe(r, 0.3):
        contact.walk_in = f"Jl. {r.choice(CO_A)} {r.choice(CO_B)} No. {r.randint(1, 199)}, {walk_in_city}"
    return contact


# ---------------------------------------------------------------------------------------------
# Modus builders: each returns a Draft; optional details are included at random.
# ---------------------------------------------------------------------------------------------

LEGAL_DRESSING = [
    "Perusahaan resmi berbadan hukum",
    "P3MI resmi terdaftar",
    "TANPA BIAYA / gratis proses",
    "Dapat BPJS Ketenagakerjaan",
    "Kontrak kerja jelas",
    "Legal dan aman",
    "Izin lengkap dari Kemnaker",
    "Bukan penipuan, sudah banyak yang berangkat",
    "Proses sesuai prosedur",
]


def b_online_scam_compound(c: Ctx, v: Voice) -> Draft:
    r = c.r
    country, towns = r.choice(COMPOUND_DESTS)
    town = r.choice(towns)
    job = v.pick(
        r,
        [
            "Admin Online",
            "CS Online",
            "Customer Service",
            "Operator Chat",
            "Marketing Online",
            "Telemarketing",
            "Admin Sosmed",
            "Typing / Input Data",
            "Admin Game Online",
            "CS Crypto",
            "Marketing Digital",
            "Admin Website",
            "Operator Live Chat",
        ],
    )
    vague = maybe(r, 0.3)
    place = (
        v.pick(r, ["Luar Negeri (Asia)", "negara tetangga", "Asia Tenggara", "LN"])
        if vague
        else (f"{town}, {country}" if maybe(r, 0.6) else country)
    )
    pay = (
        foreign(r, r.choice(["USD", "USD", "USDT"]), 700, 1800)
        if maybe(r, 0.45)
        else idr(
            r, money_between(r, 8_000_000, 15_000_000, 500_000), money_between(r, 16_000_000, 30_000_000, 1_000_000)
        )
    )
    reqs = [
        age_range(r, (17, 21), (30, 40)),
        *v.picks(
            r,
            [
                "Bisa mengetik",
                "Bisa komputer dasar",
                "Tidak perlu pengalaman",
                "Lulusan SMP/SMA bisa",
                "Bisa bahasa Inggris dasar (tidak wajib)",
                "Punya paspor, yang belum ada dibantu",
                "Siap berangkat secepatnya",
                "Pria / Wanita",
                "Bisa main HP",
                "Tidak perlu ijazah",
                "Mau belajar",
                "Bisa bahasa Mandarin nilai plus",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Tiket pesawat ditanggung perusahaan",
            "Mess + makan 3x gratis",
            "Bonus komisi tiap closing",
            "Gaji dibayar dollar",
            "Libur 1x seminggu",
            "Visa diurus perusahaan",
            "HP & laptop kerja disediakan",
            "Tiket PP gratis",
            "Free wifi di mess",
            "Tanpa potongan",
        ],
        2,
        4,
    )
    decisive = [
        f"Penempatan {town}, {country}",
        v.pick(
            r,
            [
                "Berangkat pakai visa turis dulu, visa kerja diurus di sana",
                "Berangkat dengan visa kunjungan, nanti diurus bos di lokasi",
                "Visa on arrival aja, gampang",
                "berangkat pakai visa liburan",
            ],
        ),
        v.pick(
            r,
            [
                "Kerjanya cuma chat sama klien luar negeri, ada target harian",
                "Tugas cari member dan chat customer, ada scriptnya",
                "Kerja depan laptop, chatting dengan orang luar, diajari sampai bisa",
                "Jobdesk: balas chat, kenalan sama customer, ajak investasi",
            ],
        ),
    ]
    optional = v.picks(
        r,
        [
            f"Berangkat dari {r.choice(DEPART_CITIES)}, transit {r.choice(['Bangkok', 'Kuala Lumpur', 'Singapura'])}",
            "Kalau ditanya petugas imigrasi bilang mau liburan ya",
            "Proses cepat 3-5 hari langsung terbang",
            "Tidak lewat agen, langsung user",
            "Kontrak minimal 6 bulan, keluar sebelum kontrak ganti biaya tiket & visa",
            "Sudah banyak teman kita yang kerja disana, aman",
            "Jangan banyak tanya di grup, langsung japri",
            "Jalur darat dari Bangkok ke lokasi dijemput tim kami",
            "Paspor dipegang kantor selama kontrak biar aman",
        ],
        1,
        3,
    )
    facts = decisive[: r.randint(1, 3)] + optional
    if maybe(r, 0.2):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"Lowongan {job} Luar Negeri",
            f"Dibutuhkan {job}",
            f"LOKER {job} GAJI DOLLAR",
            f"Kerja {job} di {country}",
            "Loker LN tanpa pengalaman",
            f"Open recruitment {job}",
            "Kerja di luar negeri, berangkat gratis",
        ],
    )
    return Draft(
        "online_scam_compound",
        headline,
        job,
        place,
        pay,
        "",
        reqs,
        perks,
        facts,
        contact_chat(c, v, 0.55),
        urgency=v.pick(r, URGENCY),
    )


URGENCY = [
    "BUTUH CEPAT",
    "Segera!",
    "Kuota terbatas",
    "Berangkat minggu ini",
    "Siapa cepat dia dapat",
    "Hari ini terakhir",
    "URGENT",
    "Slot tinggal 5 orang",
    "Jangan sampai ketinggalan",
    "",
]


def b_sexual_exploitation(c: Ctx, v: Voice) -> Draft:
    r = c.r
    local = maybe(r, 0.75)
    place = (
        r.choice(
            [
                "Batam",
                "Jakarta Utara",
                "Denpasar",
                "Timika",
                "Merauke",
                "Kutai Kartanegara",
                "Tanjung Pinang",
                "Pekanbaru",
                "Dumai",
                "Sorong",
                "Manado",
                "Bandung",
                "Surabaya",
                "Puncak Bogor",
                "Balikpapan",
            ]
        )
        if local
        else r.choice(["Malaysia (Johor)", "Kuala Lumpur", "Jepang", "Makau", "Dubai"])
    )
    job = v.pick(
        r,
        [
            "LC",
            "Pemandu Lagu",
            "PL Karaoke",
            "Terapis Spa",
            "Waitress Cafe",
            "Hostess",
            "Lady Companion",
            "Purel",
            "Pelayan Bar",
            "Terapis Pijat",
            "Penari",
            "Talent",
        ],
    )
    pay = (
        idr(r, money_between(r, 300_000, 800_000, 50_000), money_between(r, 1_000_000, 3_000_000), "/malam")
        if maybe(r, 0.5)
        else idr(r, money_between(r, 8_000_000, 25_000_000, 1_000_000), None, "/bulan")
    )
    reqs = [
        r.choice(["Wanita", "Cewek", "Perempuan", "Cewe cantik"]),
        age_range(r, (15, 18), (22, 27)),
        *v.picks(
            r,
            [
                "Berpenampilan menarik",
                "Tidak perlu ijazah",
                "Tidak perlu pengalaman",
                "Kirim foto full body",
                "Tinggi min 155",
                "Siap kerja malam",
                "Mau minum dengan tamu",
                "KTP tidak wajib",
                "Belum punya KTP juga bisa",
                "Kulit putih/langsing",
                "Tidak bertato",
                "Siap diajak keluar",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Mess gratis",
            "Tips besar dari tamu",
            "Makan ditanggung",
            "Kasbon bisa di depan",
            "Uang muka 2-5 juta buat keluarga",
            "Tiket berangkat ditanggung",
            "Jemput di bandara",
            "Make up & baju disediakan",
            "Bonus minuman",
        ],
        2,
        4,
    )
    decisive = v.picks(
        r,
        [
            "Bisa open BO",
            "Ada booking out tamu, fee dibagi",
            "Layanan plus-plus",
            "BO boleh, asal sepakat harga",
            "Usia 16 17 boleh, yang penting mau kerja",
            "Kasbon dipotong dari setoran",
            "Wajib kirim foto & video",
            "Tidak boleh keluar mess tanpa izin mami",
            "Target minum & tamu per malam",
            "Tamu VIP bisa bawa keluar",
            "Nemenin tamu sampai pagi",
        ],
        1,
        3,
    )
    facts = decisive + v.picks(
        r,
        [
            "Kerja santai gaji besar",
            "Tidak ada potongan",
            "Privasi terjamin",
            "Bisa langsung kerja",
            "Tempat aman dan nyaman",
            "Pengalaman tidak diutamakan",
            "Jam kerja 20.00 - 04.00",
            "Berangkat hari ini dijemput",
            "Legal dan aman",
        ],
        1,
        3,
    )
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"Dicari {job}",
            f"Loker {job} {place}",
            "Lowongan cewek cafe",
            "Butuh LC cepat",
            f"Open recruitment {job}",
            "Dibutuhkan wanita untuk kerja malam",
            "Lowongan karaoke gaji harian",
            "CARI CEWEK KERJA",
        ],
    )
    return Draft(
        "sexual_exploitation",
        headline,
        job,
        place,
        pay,
        "",
        reqs,
        perks,
        facts,
        contact_chat(c, v, 0.25),
        urgency=v.pick(r, URGENCY),
    )


def b_bride_trafficking(c: Ctx, v: Voice) -> Draft:
    r = c.r
    dest = r.choice(BRIDE_DESTS)
    origin = r.choice(
        [
            "Singkawang",
            "Pontianak",
            "Sambas",
            "Jawa Barat",
            "Indramayu",
            "Cianjur",
            "NTB",
            "Kalbar",
            "Subang",
            "Karawang",
        ]
    )
    job = v.pick(
        r,
        [
            "Calon Istri",
            "Jodoh Pria Mapan",
            "Program Perjodohan",
            "Kawin Kontrak",
            "Istri untuk Pengusaha",
            "Calon pengantin",
            "Pernikahan Internasional",
        ],
    )
    dowry = money_between(r, 50_000_000, 250_000_000, 10_000_000)
    mahar = idr(r, dowry)
    pay = mahar if maybe(r, 0.2) else ""
    reqs = [
        r.choice(["Wanita", "Perempuan", "Gadis", "Janda muda boleh"]),
        age_range(r, (15, 18), (23, 30)),
        *v.picks(
            r,
            [
                "Belum menikah",
                "Tidak perlu bisa bahasa Mandarin",
                "Berpenampilan menarik",
                "Sehat",
                "Kirim foto wajah",
                "Tidak perlu ijazah",
                "Mau tinggal di luar negeri",
                "Siap berangkat",
            ],
            2,
            4,
        ),
    ]
    perks = v.picks(
        r,
        [
            f"Mahar {mahar} untuk keluarga",
            "Paspor & dokumen diurus",
            "Semua biaya ditanggung",
            "Uang saku orang tua",
            "Tiket pesawat gratis",
            "Hidup enak di luar negeri",
            "Bisa kirim uang ke keluarga tiap bulan",
        ],
        2,
        4,
    )
    facts = v.picks(
        r,
        [
            f"Calon suami pria {dest} yang mapan, pengusaha",
            "Kenalan dulu lewat video call",
            "Nikah siri dulu di sini baru berangkat",
            "Keluarga dapat uang 10-20 juta setelah akad",
            f"Berangkat ke {dest} setelah nikah",
            "Tidak perlu lamaran resmi, semua diurus mak comblang",
            "Boleh sambil kerja di pabrik sana",
            "Dokumen umur bisa diatur",
            "Rahasia terjamin",
            f"Sudah banyak gadis {origin} yang sukses disana",
        ],
        3,
        5,
    )
    if maybe(r, 0.15):
        facts.append(v.pick(r, LEGAL_DRESSING))
    headline = v.pick(
        r,
        [
            f"Dicari wanita untuk dinikahkan dengan pria {dest}",
            "Program jodoh luar negeri",
            f"Cari istri untuk pria {dest}",
            "Mau hidup enak? Menikah dengan pria mapan",
            "Info perjodohan gratis",
            f"Kawin dengan orang {dest}, mahar besar",
        ],
    )
    return Draft(
        "bride_trafficking",
        headline,
        job,
        dest,
        pay,
        "",
        reqs,
        perks,
        facts,
        contact_chat(c, v, 0.15),
        urgency=v.pick(r, URGENCY),
    )


def b_nonprocedural_migrant(c: Ctx, v: Voice) -> Draft:
    r = c.r
    route = r.random()
    if route < 0.55:
        country = "Malaysia"
        place = f"{r.choice(MALAYSIA_PLACES)}, Malaysia" if maybe(r, 0.6) else "Malaysia"
        job = v.pick(
            r,
            [
                "Pekerja Ladang Sawit",
                "Operator Kilang",
                "Pelayan Restoran",
                "Tukang Bangunan",
                "ART",
                "Cleaning Service",
                "Jaga Orang Tua",
                "Kerja Kedai Makan",
                "Helper Kilang",
                "Babysitter",
                "Kerja Kebun",
            ],
        )
        pay = foreign(r, "RM", 1500, 3000) if maybe(r, 0.6) else idr(r, money_between(r, 5_000_000, 9_000_000, 500_000))
    elif route < 0.85:
        country = r.choice(MIDDLE_EAST_260)
        place = country
        job = v.pick(
            r,
            [
                "ART",
                "PRT",
                "Pembantu Rumah Tangga",
                "Babysitter",
                "Jaga Lansia di rumah",
                "Nanny",
                "Sopir Pribadi",
                "Pengasuh Anak",
                "Khadimat",
            ],
        )
        pay = (
            foreign(r, "SAR", 1200, 2500)
            if country == "Arab Saudi" and maybe(r, 0.6)
            else idr(r, money_between(r, 6_000_000, 12_000_000, 500_000))
        )
    else:
        country = r.choice(["Brunei", "Singapura", "Hong Kong", "Taiwan", "Korea Selatan", "Jepang"])
        place = country
        job = v.pick(r, ["Pabrik", "ART", "Perawat Lansia", "Kerja Restoran", "Kerja Ladang", "Konstruksi"])
        pay = idr(r, money_between(r, 8_000_000, 25_000_000, 1_000_000))
    border = r.choice(BORDER_TOWNS)
    reqs = [
        age_range(r, (17, 21), (35, 45)),
        *v.picks(
            r,
            [
                "Pria / Wanita",
                "Tanpa pengalaman",
                "Tidak perlu ijazah",
                "Sehat",
                "Belum punya paspor bisa",
                "Tidak perlu bisa bahasa Inggris",
                "Siap berangkat",
                "Janda boleh",
                "KTP & KK saja",
            ],
            2,
            4,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Berangkat gratis",
            "Tiket ditanggung",
            "Makan & tempat tinggal ditanggung majikan",
            "Gaji besar",
            "Uang saku untuk keluarga",
            "Lembur banyak",
            "Majikan baik",
        ],
        1,
        3,
    )
    decisive = [
        v.pick(
            r,
            [
                "Paspor diurus di sana",
                "Berangkat pakai visa kunjungan dulu",
                "Pakai visa umroh/ziarah, sampai sana langsung kerja",
                "Permit kerja diurus majikan nanti",
                "Tidak perlu ke Disnaker atau BP2MI, ribet",
                "Tidak lewat PT, langsung majikan",
                "Job order tidak perlu",
                "Masuk pakai paspor pelancong",
            ],
        ),
        v.pick(
            r,
            [
                f"Lewat jalur {border}",
                f"Berangkat dari {border} naik kapal ferry",
                f"Kumpul di {border} dulu, nanti dijemput",
                f"Nyebrang lewat {border}",
                f"Transit {border} 2 hari",
            ],
        ),
        v.pick(
            r,
            [
                "Gaji dipotong 4-6 bulan untuk biaya berangkat",
                "Paspor dipegang agen/majikan",
                "Biaya proses diganti potong gaji",
                "Hutang tiket dicicil dari gaji",
            ],
        ),
    ]
    facts = decisive[: r.randint(1, 3)] + v.picks(
        r,
        [
            "Proses cepat 1 minggu terbang",
            "Tidak ribet",
            "Banyak teman dari kampung sudah disana",
            "Tanpa tes bahasa",
            "Tanpa pelatihan",
            "Bisa bawa teman/saudara",
            "Dijemput di kampung",
            f"Kumpul di {r.choice(ORIGIN_AREAS)}",
        ],
        1,
        3,
    )
    if maybe(r, 0.25):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"Lowongan kerja {country}",
            f"Dibutuhkan {job} {country}",
            f"Kerja ke {country}",
            f"Job {job} gaji besar",
            "Kerja luar negeri tanpa ribet",
            f"Loker {country} cepat berangkat",
        ],
    )
    return Draft(
        "nonprocedural_migrant",
        headline,
        job,
        place,
        pay,
        "",
        reqs,
        perks,
        facts,
        contact_chat(c, v, 0.15),
        urgency=v.pick(r, URGENCY),
    )


def b_ship_crew(c: Ctx, v: Voice) -> Draft:
    r = c.r
    flagship = r.choice(["Taiwan", "China", "Korea", "Vanuatu", "Fiji", "Mauritius"])
    job = v.pick(
        r,
        [
            "ABK Kapal Ikan",
            "ABK Long Line",
            "Deck Hand",
            "ABK Kapal Cumi",
            "Cook Kapal",
            "ABK Kapal Tuna",
            "Awak Kapal",
            "Crew Kapal Ikan Luar Negeri",
            "Mesin / Oiler",
        ],
    )
    port = r.choice(FISHING_PORTS)
    place = f"Kapal {flagship}, {r.choice(FISHING_WATERS)}" if maybe(r, 0.6) else f"Kapal {flagship}"
    pay = (
        foreign(r, "USD", 300, 550) + r.choice(["/bulan", "/bln", ""])
        if maybe(r, 0.7)
        else idr(r, money_between(r, 4_500_000, 8_000_000, 500_000))
    )
    reqs = [
        r.choice(["Pria", "Laki-laki", "Cowok"]),
        age_range(r, (17, 20), (35, 45)),
        *v.picks(
            r,
            [
                "Belum pernah melaut bisa",
                "Tidak perlu pengalaman",
                "Tidak perlu ijazah",
                "Sehat & kuat",
                "Tidak mabuk laut",
                "Buku pelaut belum ada dibantu",
                "Tanpa BST juga bisa",
                "KTP & KK",
            ],
            2,
            4,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Uang saku 2-5 juta sebelum berangkat",
            "Makan di kapal gratis",
            "Tiket ditanggung",
            "Bonus tangkapan",
            f"Mess di {port}",
            "Gaji dikirim ke keluarga",
        ],
        1,
        3,
    )
    decisive = v.picks(
        r,
        [
            "Gaji dibayar di akhir kontrak",
            "Potongan jaminan 3-6 bulan gaji",
            "Paspor & buku pelaut dipegang agen",
            "Kontrak 2 tahun di laut tidak sandar",
            "Biaya proses dipotong dari gaji",
            "Uang saku dihitung kasbon, dipotong gaji",
            "Berhenti sebelum kontrak kena denda",
            "Buku pelaut diurus cepat tanpa sekolah",
        ],
        1,
        3,
    )
    facts = decisive + v.picks(
        r,
        [
            f"Berangkat dari {port}",
            "Proses cepat",
            "Kapal besar dan aman",
            "Tidak perlu bisa bahasa asing",
            "Kumpul di mess agen dulu",
            "Jemput di terminal",
        ],
        1,
        2,
    )
    if maybe(r, 0.2):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            f"Dibutuhkan {job} kapal asing",
            "Loker ABK gaji dollar",
            "Kerja di kapal luar negeri",
            f"Cari {job} berangkat cepat",
            "ABK KAPAL LUAR",
        ],
    )
    return Draft(
        "ship_crew",
        headline,
        job,
        place,
        pay,
        "",
        reqs,
        perks,
        facts,
        contact_chat(c, v, 0.1),
        urgency=v.pick(r, URGENCY),
    )


FEE_ITEMS = [
    "seragam",
    "pelatihan",
    "medical check up",
    "ID card",
    "administrasi",
    "tes kesehatan",
    "pembuatan kartu anggota",
    "training",
    "sertifikat",
    "mess bulan pertama",
    "asuransi",
    "jaminan",
    "pendaftaran",
    "PCR/MCU",
    "biaya visa & tiket",
]


def fee_text(c: Ctx, v: Voice) -> str:
    r = c.r
    item = r.choice(FEE_ITEMS)
    amount = idr(r, money_between(r, 100_000, 2_500_000, 50_000))
    return v.pick(
        r,
        [
            f"Biaya {item} {amount} ditransfer sebelum mulai kerja",
            f"Ada biaya {item} {amount}, nanti dikembalikan setelah gajian",
            f"Wajib bayar {item} {amount} ke rekening panitia",
            f"Transfer uang {item} {amount} via DANA/OVO",
            f"Biaya {item} cuma {amount}, sekali bayar",
            f"Peserta menanggung biaya {item} {amount}",
            f"Uang {item} {amount} dibayar saat konfirmasi",
        ],
    )


def b_fee_fraud(c: Ctx, v: Voice) -> Draft:
    r = c.r
    overseas = maybe(r, 0.25)
    if overseas:
        country = r.choice(["Jepang", "Korea", "Taiwan", "Jerman", "Australia", "Polandia", "Kanada", "Dubai"])
        job = v.pick(r, ["Pabrik", "Caregiver", "Petani Buah", "Welder", "Cleaning Service", "Kerja Hotel"])
        place = country
        pay = idr(r, money_between(r, 18_000_000, 45_000_000, 1_000_000))
        fee = idr(r, money_between(r, 5_000_000, 45_000_000, 1_000_000))
        facts = [
            v.pick(
                r,
                [
                    f"Biaya proses {fee} bisa dicicil",
                    f"DP {fee} untuk booking kuota",
                    f"Biaya keberangkatan {fee}, sudah termasuk semuanya",
                    f"Transfer {fee} untuk pengurusan visa kerja",
                ],
            )
        ]
        facts += v.picks(
            r,
            [
                "Tanpa tes bahasa",
                "Pasti berangkat",
                "Tanpa antri",
                "Kuota khusus dari kedutaan",
                "Uang kembali kalau tidak berangkat",
            ],
            1,
            3,
        )
    else:
        job = v.pick(
            r,
            [
                "Staff Gudang",
                "Admin Kantor",
                "Security",
                "Operator Produksi",
                "Pramugari",
                "Karyawan Pabrik",
                "SPG",
                "Kurir",
                "Driver",
                "Kasir",
                "Crew Kapal Pesiar",
                "Staff Bandara",
                "Cleaning Service",
                "Helper",
                "Packing",
            ],
        )
        place = r.choice(CITIES)
        pay = idr(r, money_between(r, 5_000_000, 12_000_000, 500_000))
        facts = [fee_text(c, v)]
        if maybe(r, 0.3):
            facts.append(fee_text(c, v))
        facts += v.picks(
            r,
            [
                "Langsung kerja tanpa tes",
                "Pasti diterima",
                "Lulusan SMP juga bisa",
                "Tanpa interview",
                "Kuota terbatas 20 orang",
                "Rekening atas nama koordinator",
                "Kirim bukti transfer ke admin",
                "Yang tidak transfer dianggap mengundurkan diri",
                "Gaji pertama langsung cair minggu depan",
            ],
            1,
            3,
        )
    reqs = [
        age_range(r, (17, 20), (30, 45)),
        *v.picks(
            r,
            [
                "Pria/Wanita",
                "Min SMP/SMA",
                "Tidak perlu pengalaman",
                "Sehat",
                "Jujur",
                "Fotokopi KTP",
                "Pas foto 3x4",
                "Siap kerja",
            ],
            2,
            4,
        ),
    ]
    perks = v.picks(r, ["Mess", "BPJS", "Uang makan", "Bonus", "Jenjang karir", "Seragam", "Transport"], 1, 3)
    if maybe(r, 0.25):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    co = company(r) if maybe(r, 0.5) else ""
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            f"Dibutuhkan {job} {place}",
            f"Rekrutmen besar {job}",
            f"LOKER {job} LANGSUNG KERJA",
            f"Penerimaan {job} tahun ini",
            f"Open rekrut {job}",
        ],
    )
    contact = contact_company(c, co) if co and maybe(r, 0.35) else contact_chat(c, v, 0.2)
    return Draft("fee_fraud", headline, job, place, pay, co, reqs, perks, facts, contact, urgency=v.pick(r, URGENCY))


def b_task_scam(c: Ctx, v: Voice) -> Draft:
    r = c.r
    task = v.pick(
        r,
        [
            "like & subscribe YouTube",
            "follow akun TikTok",
            "kasih rating hotel",
            "review produk marketplace",
            "kasih bintang 5 Google Maps",
            "nonton video",
            "like postingan Instagram",
            "rating film",
            "order fiktif di marketplace",
            "klik iklan",
            "isi survei",
        ],
    )
    job = v.pick(
        r,
        [
            "Kerja Paruh Waktu",
            "Part Time dari HP",
            "Freelance Online",
            "Kerja Sampingan",
            "Pekerja Lepas",
            "Admin Tugas",
            "Kerja Online",
        ],
    )
    per_task = idr(r, money_between(r, 10_000, 60_000, 5_000))
    daily = idr(
        r,
        money_between(r, 200_000, 500_000, 50_000),
        money_between(r, 600_000, 2_000_000, 100_000),
        r.choice(["/hari", " per hari", " sehari"]),
    )
    dep = idr(r, money_between(r, 50_000, 500_000, 50_000))
    facts = [
        v.pick(r, [f"Tugasnya cuma {task}", f"Tugas: {task}, kirim screenshot", f"cukup {task} dari HP"]),
        v.pick(r, [f"Komisi {per_task} per tugas", f"1 tugas dibayar {per_task}", f"Upah {per_task}/task"]),
    ]
    facts += v.picks(
        r,
        [
            f"Tugas premium: deposit {dep} dapat kembali 130%",
            f"Isi saldo {dep} dulu untuk buka misi",
            "Gabung grup Telegram mentor untuk tugas berikutnya",
            "Langsung cair ke DANA/OVO/GoPay",
            "Tanpa modal",
            "Hanya butuh 30 menit sehari",
            "Cocok untuk IRT & mahasiswa",
            "Bonus pendaftaran 20rb",
            "Kirim screenshot ke resepsionis",
            "Tidak mengganggu pekerjaan utama",
            "Misi gagal jika saldo tidak di-top up",
            "Minta kode OTP untuk verifikasi akun",
        ],
        2,
        4,
    )
    reqs = v.picks(
        r,
        [
            "Punya HP Android",
            "Usia 23+",
            "Punya rekening/e-wallet",
            "Bisa WhatsApp",
            "Tidak perlu pengalaman",
            "Siapa saja bisa",
        ],
        1,
        3,
    )
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"{job}, gaji harian",
            "Dicari pekerja paruh waktu",
            "Kerja dari rumah, dibayar harian",
            "Halo kak, ada lowongan part time",
            f"Penghasilan tambahan {daily}",
            "Selamat siang, kami dari tim rekrutmen",
        ],
    )
    return Draft(
        "task_scam",
        headline,
        job,
        "Dari rumah / online",
        daily,
        "",
        reqs,
        [],
        facts,
        contact_chat(c, v, 0.5),
        urgency=v.pick(r, URGENCY),
    )


def lookalike(r: random.Random, stem: str) -> tuple[str, str]:
    """A fake-recruiter contact for a big firm: (kind, value)."""
    year = r.choice(["2025", "2026", ""])
    choice = r.randint(0, 6)
    if choice == 0:
        return "url", f"recruitment-{stem}.info"
    if choice == 1:
        return "url", f"rekrutmen{stem}{year}.com"
    if choice == 2:
        return "url", f"{stem}-karir.online"
    if choice == 3:
        return "email", f"hrd.{stem}.rekrutmen{year}@gmail.com"
    if choice == 4:
        return "email", f"karir{stem}{year}@yahoo.co.id"
    if choice == 5:
        return "url", f"bit.ly/Rekrutmen{stem.capitalize()}{year}"
    return "url", f"forms.gle/{shortcode(r, 10)}"


def b_impersonation(c: Ctx, v: Voice) -> Draft:
    r = c.r
    firm, stem, _domain = r.choice(BIG_FIRMS)
    job = v.pick(
        r,
        [
            "Operator",
            "Staff Administrasi",
            "Teknisi",
            "Security",
            "Staff Gudang",
            "Driver",
            "Management Trainee",
            "Pramugari",
            "Staff Lapangan",
            "Customer Service",
            "Helper",
        ],
    )
    kind, value = lookalike(r, stem)
    contact = Contact(phone=c.phones.new() if maybe(r, 0.6) else "")
    if kind == "url":
        contact.url = value
    else:
        contact.email = value
    place = v.pick(r, ["Seluruh Indonesia", "Penempatan seluruh cabang", r.choice(CITIES), "Jakarta & luar kota"])
    pay = idr(r, money_between(r, 6_000_000, 15_000_000, 500_000)) if maybe(r, 0.5) else ""
    reqs = v.picks(
        r,
        [
            "Tamatan SMA/SMK/D3/S1",
            "Usia 18-35 tahun",
            "Pria/Wanita",
            "Semua jurusan",
            "Tidak buta warna",
            "Sehat jasmani rohani",
        ],
        1,
        3,
    )
    facts = v.picks(
        r,
        [
            f"{firm} membuka penerimaan karyawan baru besar-besaran",
            "Anda lolos seleksi berkas, wajib konfirmasi kehadiran tes",
            f"Tes dilaksanakan di Hotel {r.choice(CO_A)} {r.choice(CITIES)}",
            "Reservasi hotel & tiket tes melalui travel agent yang ditunjuk panitia",
            "Pendaftaran ditutup dalam 3 hari",
            "Isi formulir lengkap dan upload KTP",
            f"Hubungi HRD {firm} untuk jadwal",
            "Kode OTP yang masuk harap diteruskan ke panitia untuk verifikasi",
            "Tidak dipungut biaya pendaftaran",
            "Informasi ini resmi dari panitia rekrutmen",
            "Sebarkan ke keluarga yang butuh kerja",
        ],
        2,
        4,
    )
    if maybe(r, 0.15):
        facts.append(
            f"Biaya akomodasi tes {idr(r, money_between(r, 1_500_000, 3_500_000, 100_000))} "
            "ditransfer ke travel agent, akan diganti perusahaan"
        )
    headline = v.pick(
        r,
        [
            f"Rekrutmen {firm}",
            f"Lowongan kerja {firm}",
            f"{firm} membuka lowongan",
            f"Penerimaan karyawan {firm} tahun ini",
            f"INFO LOKER {firm}",
            f"Panggilan tes {firm}",
        ],
    )
    return Draft("impersonation", headline, job, place, pay, firm, reqs, [], facts, contact, urgency=v.pick(r, URGENCY))


WARNINGS = [
    "Tidak dipungut biaya apapun",
    "Seluruh proses rekrutmen GRATIS",
    "Hati-hati penipuan mengatasnamakan kami",
    "Kami tidak pernah meminta transfer uang",
    "Waspada calo",
    "Bila diminta biaya, abaikan",
    "Proses rekrutmen tanpa biaya",
    "Waspada lowongan admin online ke Kamboja/Myanmar, itu bukan dari kami",
]


def b_legit_local(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES)
    job = v.pick(
        r,
        [
            "Admin Gudang",
            "Kasir Minimarket",
            "Operator Produksi",
            "Staff Accounting",
            "Sales Motoris",
            "Kurir",
            "Driver Box",
            "Security",
            "Teknisi AC",
            "Guru Les SD",
            "Staff HRD",
            "Admin Online Shop",
            "Staff Purchasing",
            "Helper Toko",
            "Mekanik Motor",
            "Cleaning Service",
            "Juru Masak",
            "Staff Marketing",
            "Admin Ekspedisi",
            "Quality Control",
            "Apoteker",
            "Perawat Klinik",
            "Desain Grafis",
            "Tukang Jahit",
            "Barista",
        ],
    )
    co = company(r, r.choice(["PT", "PT", "CV", "Toko", "Klinik"]))
    pay = (
        idr(r, money_between(r, 2_500_000, 4_500_000), money_between(r, 4_500_000, 7_000_000))
        if maybe(r, 0.6)
        else r.choice(["UMK", "UMR + lembur", "Sesuai UMK " + city, "Gaji pokok + insentif", ""])
    )
    reqs = [
        age_range(r, (18, 20), (25, 40)),
        *v.picks(
            r,
            [
                "Pendidikan min SMA/SMK",
                "Lulusan D3/S1",
                "Pria",
                "Wanita",
                "Pria/Wanita",
                "Berpenampilan menarik",
                "Jujur dan disiplin",
                "Punya SIM C",
                "Punya SIM A",
                "Bisa Ms Office",
                "Domisili dekat lokasi",
                "Pengalaman min 1 tahun",
                "Fresh graduate dipersilakan",
                "Bisa bekerja dalam tim",
                "Tidak bertato",
                "Sehat jasmani rohani",
                "Belum menikah",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "BPJS Ketenagakerjaan & Kesehatan",
            "Uang makan",
            "Uang transport",
            "Lembur dibayar",
            "THR",
            "Mess untuk karyawan luar kota",
            "Bonus bulanan",
            "Jenjang karir",
            "Seragam disediakan gratis",
            "Kontrak PKWT, bisa diangkat tetap",
            "Cuti tahunan",
        ],
        1,
        4,
    )
    facts = v.picks(
        r,
        [
            f"Penempatan {city}",
            "Interview langsung di kantor, bawa CV & fotokopi KTP",
            "Jam kerja Senin-Sabtu 08.00-16.00",
            "Sistem shift",
            "Lamaran ditutup akhir bulan ini",
            "Hanya kandidat yang memenuhi syarat yang akan dihubungi",
            "Bisa langsung kerja",
            "Gaji besar untuk yang berprestasi",
            "Dibutuhkan segera 2 orang",
        ],
        1,
        3,
    )
    if maybe(r, 0.5):
        facts.append(v.pick(r, WARNINGS))
    r.shuffle(facts)
    contact = contact_company(c, co, city) if maybe(r, 0.7) else contact_chat(c, v, 0.1)
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            f"Dibutuhkan {job}",
            f"Loker {city}: {job}",
            f"{co} membuka lowongan {job}",
            f"We are hiring {job}",
            f"Lowongan kerja {city}",
        ],
    )
    return Draft(
        "legit_local",
        headline,
        job,
        city,
        pay,
        co,
        reqs,
        perks,
        facts,
        contact,
        urgency=v.pick(r, URGENCY[:3] + [""] * 5),
    )


@dataclass(frozen=True)
class Scheme:
    country: str
    jobs: tuple[str, ...]
    currency: str
    lo: int
    hi: int
    extras: tuple[str, ...]


LEGAL_SCHEMES = [
    Scheme(
        "Korea Selatan",
        ("Manufaktur (G to G EPS)", "Perikanan EPS", "Pertanian EPS"),
        "KRW",
        2_000_000,
        2_600_000,
        (
            "Program G to G Korea EPS, pendaftaran EPS-TOPIK hanya lewat KP2MI/BP2MI",
            "Wajib lulus ujian EPS-TOPIK",
            "Tidak ada calo, tidak ada biaya selain biaya ujian resmi",
        ),
    ),
    Scheme(
        "Jepang",
        ("Caregiver (Tokutei Ginou / SSW)", "Food Processing SSW", "Welder SSW", "Pertanian SSW"),
        "JPY",
        170_000,
        240_000,
        (
            "Jalur Specified Skilled Worker (SSW), wajib lulus JFT-Basic/JLPT N4 dan tes keterampilan",
            "Pelatihan bahasa Jepang 6 bulan di LPK mitra",
            "Visa kerja SSW diurus sebelum berangkat",
        ),
    ),
    Scheme(
        "Jepang",
        ("Peserta Magang IM Japan",),
        "JPY",
        130_000,
        160_000,
        (
            "Program magang IM Japan kerja sama Kemnaker",
            "Seleksi di Disnaker kabupaten/kota",
            "Uang saku magang sesuai kontrak",
        ),
    ),
    Scheme(
        "Jerman",
        ("Perawat (Triple Win)",),
        "EUR",
        2_300,
        3_200,
        (
            "Program Triple Win Jerman (G to G), bahasa Jerman sampai B1/B2 dibiayai",
            "Lulusan D3/S1 Keperawatan + STR",
            "Penyetaraan ijazah dibantu",
        ),
    ),
    Scheme(
        "Taiwan",
        ("Operator Pabrik", "Caregiver Panti Jompo", "Operator Mesin"),
        "NTD",
        27_470,
        30_000,
        (
            "Gaji sesuai standar pemerintah Taiwan",
            "Job order resmi dari agensi Taiwan",
            "Medical di klinik resmi yang ditunjuk",
        ),
    ),
    Scheme(
        "Hong Kong",
        ("Penata Laksana Rumah Tangga (PLRT)", "Perawat Lansia di rumah"),
        "HKD",
        4_990,
        5_500,
        ("Kontrak kerja 2 tahun dilegalisasi KJRI", "Libur setiap minggu sesuai kontrak", "Asuransi PMI dari BPJS"),
    ),
    Scheme(
        "Malaysia",
        ("Operator Kilang Elektronik", "Pekerja Ladang Sawit"),
        "RM",
        1_700,
        2_400,
        (
            "Job order dari perusahaan Malaysia sudah disahkan",
            "Permit kerja diurus sebelum berangkat",
            "Penerbangan langsung, bukan lewat jalur darat",
        ),
    ),
    Scheme(
        "Arab Saudi",
        ("Perawat Rumah Sakit", "Staff Hotel"),
        "SAR",
        4_000,
        8_000,
        (
            "Penempatan sektor formal (rumah sakit/hotel), bukan rumah tangga",
            "Kontrak dengan perusahaan pengguna, bukan perorangan",
            "Visa kerja terbit sebelum terbang",
        ),
    ),
    Scheme(
        "Singapura",
        ("Operator Produksi", "Housekeeping Hotel"),
        "USD",
        1_300,
        1_800,
        ("Work permit dari MOM Singapura sebelum berangkat", "Kontrak 2 tahun bisa diperpanjang"),
    ),
]

LEGAL_FACTS = [
    "P3MI berizin resmi dari Kementerian P2MI",
    "Job order dan SIP2MI resmi",
    "Terdaftar di SISKOP2MI, silakan cek",
    "Visa kerja diurus sebelum berangkat",
    "Wajib ikut Orientasi Pra Pemberangkatan (OPP)",
    "Pendaftaran lewat Disnaker / LTSA setempat",
    "Biaya penempatan NOL rupiah sesuai UU 18/2017",
    "Perjanjian kerja ditandatangani sebelum berangkat",
    "Paspor dibuat sendiri di kantor imigrasi asal",
    "Paspor dipegang sendiri oleh pekerja",
    "Dilindungi BPJS Ketenagakerjaan PMI",
    "Tidak ada potongan gaji untuk biaya penempatan",
    "Tiket pesawat ditanggung pengguna kerja",
    "Cek keabsahan lowongan di kantor Disnaker terdekat",
    "Tanpa biaya penempatan (zero cost)",
    "Waspada tawaran kerja ke Kamboja atau Myanmar lewat jalur tidak resmi",
    "Tidak berangkat pakai visa turis atau visa kunjungan",
]


def b_legit_overseas_p3mi(c: Ctx, v: Voice) -> Draft:
    r = c.r
    scheme = r.choice(LEGAL_SCHEMES)
    job = r.choice(scheme.jobs)
    step = 10_000 if scheme.currency in ("KRW", "JPY") else 10 if scheme.currency != "NTD" else 100
    pay = foreign(r, scheme.currency, scheme.lo, scheme.hi, step) + r.choice(["/bulan", "/bln", " per bulan", ""])
    agency = company(r) + r.choice([" (P3MI)", "", " - P3MI resmi"])
    reqs = [
        age_range(r, (18, 21), (28, 40)),
        *v.picks(
            r,
            [
                "Pria / Wanita",
                "Wanita",
                "Pria",
                "Min SMA/SMK",
                "Sehat (medical resmi)",
                "Tinggi badan min 155 cm",
                "Tidak bertato",
                "Punya KTP, KK, akta lahir, ijazah",
                "Izin orang tua/suami/istri",
                "Belum pernah ke luar negeri juga bisa",
                "Lulus tes bahasa",
                "Tidak buta warna",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Gaji besar",
            "Tiket pesawat ditanggung",
            "Mess/asrama disediakan",
            "Asuransi",
            "Lembur dibayar",
            "Kontrak 2-3 tahun",
            "BPJS PMI",
            "Pelatihan bahasa",
        ],
        2,
        4,
    )
    facts = [r.choice(scheme.extras), *v.picks(r, LEGAL_FACTS, 2, 4)]
    if maybe(r, 0.4):
        facts.append(f"Penempatan {scheme.country}, paspor dan visa kerja diurus resmi")
    r.shuffle(facts)
    contact = contact_company(c, agency, r.choice(CITIES))
    headline = v.pick(
        r,
        [
            f"Lowongan kerja ke {scheme.country}",
            f"Kerja resmi di {scheme.country}",
            f"Dibutuhkan {job} untuk {scheme.country}",
            f"Program kerja luar negeri {scheme.country}",
            f"Rekrutmen PMI {scheme.country} jalur resmi",
            f"Peluang kerja luar negeri: {job}",
        ],
    )
    return Draft(
        "legit_overseas_p3mi",
        headline,
        job,
        scheme.country,
        pay,
        agency,
        reqs,
        perks,
        facts,
        contact,
        urgency=v.pick(r, ["", "", "Kuota terbatas", "Segera daftar"]),
    )


def b_legit_entertainment(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES)
    venue = r.choice(
        [
            "Karaoke Keluarga",
            "Cafe & Resto",
            "Hotel",
            "Lounge",
            "Bar & Grill",
            "Coffee Shop",
            "Family KTV",
            "Resort",
            "Beach Club",
            "Rooftop Cafe",
        ]
    )
    name = f"{venue} {r.choice(CO_A)} {r.choice(CO_B)}"
    job = v.pick(
        r,
        [
            "Waiter/Waitress",
            "Barista",
            "Bartender",
            "Operator Karaoke",
            "Pemandu Lagu (PL)",
            "Resepsionis",
            "Housekeeping",
            "Front Office",
            "Server",
            "DJ",
            "Penyanyi Cafe",
            "Kasir",
            "Cook Helper",
            "Room Boy",
            "Host Event",
            "Guest Relation Officer",
        ],
    )
    pay = (
        idr(r, money_between(r, 3_000_000, 5_000_000), money_between(r, 5_000_000, 9_000_000))
        if maybe(r, 0.6)
        else r.choice(["UMK + service charge", "Gaji pokok + tips", "Gaji besar + service", ""])
    )
    reqs = [
        age_range(r, (18, 19), (25, 30)),
        *v.picks(
            r,
            [
                "Wanita",
                "Pria/Wanita",
                "Berpenampilan menarik",
                "Tinggi min 155 cm",
                "Siap kerja shift malam",
                "Ramah dan komunikatif",
                "Pengalaman di bidang F&B diutamakan",
                "Tidak perlu pengalaman, ada training",
                "Bisa bahasa Inggris",
                "Wajib KTP asli, minimal 18 tahun",
                "Bisa bernyanyi",
                "Tidak bertato",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Mess disediakan",
            "BPJS Ketenagakerjaan & Kesehatan",
            "Makan 2x",
            "Service charge",
            "Tips dari tamu",
            "Seragam gratis",
            "Libur 4x sebulan",
            "THR",
            "Antar jemput shift malam",
            "Gaji besar",
        ],
        2,
        4,
    )
    facts = v.picks(
        r,
        [
            "Bukan LC, tidak ada layanan plus-plus",
            "Tempat hiburan keluarga berizin resmi",
            "Kontrak kerja tertulis",
            "Jam kerja 8 jam per shift",
            "Interview langsung di lokasi bawa CV",
            "Tidak ada open BO, tempat keluarga",
            "Tidak dipungut biaya apapun",
            "Dilarang minum alkohol saat kerja",
            "Lingkungan kerja aman, ada security",
            f"Lokasi {name}, {city}",
            "Training dari manajemen",
        ],
        2,
        4,
    )
    r.shuffle(facts)
    contact = contact_company(c, name, city) if maybe(r, 0.55) else contact_chat(c, v, 0.1)
    headline = v.pick(
        r,
        [
            f"Lowongan {job} {name}",
            f"Dibutuhkan {job}",
            f"Loker {venue} {city}",
            f"{name} hiring {job}",
            f"Lowongan kerja malam {city}",
            f"Dicari {job} cewek/cowok",
        ],
    )
    return Draft(
        "legit_entertainment",
        headline,
        job,
        city,
        pay,
        name,
        reqs,
        perks,
        facts,
        contact,
        urgency=v.pick(r, ["", "", "Segera", "Butuh cepat"]),
    )


def b_legit_remote_cs(c: Ctx, v: Voice) -> Draft:
    r = c.r
    co = company(r)
    job = v.pick(
        r,
        [
            "Customer Service (WFH)",
            "Admin Online",
            "CS Online Shop",
            "Live Chat Agent",
            "Customer Support Remote",
            "Telesales WFH",
            "CS Bahasa Mandarin",
            "Moderator Konten",
            "Data Entry Remote",
            "Admin Marketplace",
            "Call Center Hybrid",
        ],
    )
    city = r.choice(CITIES)
    pay = idr(r, money_between(r, 3_500_000, 5_000_000), money_between(r, 5_000_000, 8_000_000))
    reqs = [
        age_range(r, (18, 21), (28, 35)),
        *v.picks(
            r,
            [
                "Tidak perlu pengalaman",
                "Fresh graduate welcome",
                "Punya laptop & internet stabil",
                "Bisa bahasa Inggris",
                "Bisa mengetik cepat",
                "Min SMA/SMK",
                "Bisa bahasa Mandarin (untuk posisi CS Mandarin)",
                "Teliti dan sabar",
                "Domisili bebas",
                "Siap shift",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "BPJS",
            "Kerja dari rumah",
            "Training 2 minggu dibayar",
            "Tunjangan internet",
            "Kontrak PKWT",
            "Bonus target",
            "Laptop dipinjamkan",
            "Cuti",
            "THR",
        ],
        2,
        4,
    )
    facts = v.picks(
        r,
        [
            "Interview online via Zoom/Google Meet",
            f"Kantor pusat di {city}, kerja remote dari rumah",
            "Tidak ada biaya apapun selama rekrutmen",
            "Tidak ada deposit, tidak ada top up",
            "Kontrak kerja resmi dengan perusahaan",
            "Target chat harian wajar, ada KPI",
            "Menangani chat customer e-commerce",
            "Gaji ditransfer ke rekening tiap tanggal 25",
            "Training dulu sebelum mulai",
            "Jam kerja 8 jam, sistem shift",
            "Kantor di Indonesia, bukan penempatan luar negeri",
        ],
        2,
        4,
    )
    if maybe(r, 0.3):
        facts.append(v.pick(r, WARNINGS))
    r.shuffle(facts)
    contact = contact_company(c, co)
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            "Kerja dari rumah: Customer Service",
            f"{co} membuka lowongan {job}",
            f"Hiring {job}",
            "Loker WFH tanpa pengalaman",
            "Admin online, kerja dari rumah",
        ],
    )
    return Draft(
        "legit_remote_cs",
        headline,
        job,
        "Remote / " + city,
        pay,
        co,
        reqs,
        perks,
        facts,
        contact,
        urgency=v.pick(r, ["", "", "Segera", "Kuota terbatas"]),
    )


def b_legit_high_pay(c: Ctx, v: Voice) -> Draft:
    r = c.r
    big = maybe(r, 0.25)
    if big:
        firm, _stem, domain = r.choice([f for f in BIG_FIRMS if f[2]])
        co = firm
        contact = Contact(url=r.choice(["", "www."]) + domain + r.choice(["/karir", "/career", ""]))
    else:
        co = company(r)
        contact = contact_company(c, co)
    job, lo, hi, where, own_req = r.choice(
        [
            ("Senior Software Engineer", 18, 40, "Jakarta / Remote", "Menguasai Go/Java/Python"),
            ("Operator Alat Berat", 12, 20, "Site Morowali", "Punya SIO alat berat"),
            ("Mining Engineer", 20, 45, "Site Kutai Timur", "S1 Teknik Pertambangan"),
            ("Data Scientist", 18, 35, "Jakarta Selatan", "Menguasai Python & SQL"),
            ("Offshore Drilling Supervisor", 35, 70, "Offshore Natuna", "Sertifikat IWCF & BOSIET"),
            ("Dokter Spesialis", 40, 80, "Kupang", "STR & SIP aktif"),
            ("Sales Manager", 15, 30, "Surabaya", "Pengalaman memimpin tim sales"),
            ("Mekanik Heavy Equipment", 12, 22, "Site Kalimantan Timur", "Punya sertifikat kompetensi mekanik"),
            ("Pilot First Officer", 40, 70, "Jakarta", "CPL/ATPL aktif"),
            ("Electrical Engineer", 15, 30, "Batam", "S1 Teknik Elektro"),
            ("Product Manager", 25, 45, "Jakarta", "Pengalaman di perusahaan teknologi"),
            ("Welder 6G", 12, 18, "Site Weda Bay", "Sertifikat las 6G"),
            ("Chef de Cuisine", 15, 25, "Badung, Bali", "Pengalaman di hotel bintang 5"),
            ("Head of Finance", 35, 60, "Jakarta", "S1 Akuntansi, CPA/CA nilai plus"),
        ]
    )
    pay = idr(r, lo * 1_000_000, hi * 1_000_000) if maybe(r, 0.75) else "Gaji besar (nego sesuai pengalaman)"
    reqs = v.picks(
        r,
        [
            f"Pengalaman min {r.randint(3, 8)} tahun di posisi sama",
            "Bahasa Inggris aktif",
            "Bersedia roster 10/2 atau 8/2",
            "Portofolio",
            "Usia max 45 tahun",
            "Pria",
            "Sehat, lulus MCU",
        ],
        1,
        4,
    )
    reqs.insert(r.randint(0, len(reqs)), own_req)
    perks = v.picks(
        r,
        [
            "Gaji besar",
            "Mess & makan di site",
            "Tiket cuti ditanggung perusahaan",
            "BPJS + asuransi swasta",
            "Bonus tahunan",
            "Tunjangan site",
            "Kendaraan operasional",
            "Saham karyawan",
        ],
        2,
        4,
    )
    facts = v.picks(
        r,
        [
            f"Penempatan {where}",
            "Proses: seleksi CV, tes teknis, interview user, MCU",
            "Tidak dipungut biaya apapun, waspada penipuan",
            "Lamaran hanya lewat website resmi",
            "Kandidat terpilih akan dihubungi lewat email resmi perusahaan",
            "Ikatan kerja PKWTT",
            "Relokasi dibantu perusahaan",
        ],
        2,
        4,
    )
    r.shuffle(facts)
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            f"{co} is hiring: {job}",
            f"Dibutuhkan {job} berpengalaman",
            f"Karir {job}",
            f"Career opportunity: {job}",
            f"Rekrutmen {job} {co}",
        ],
    )
    return Draft("legit_high_pay", headline, job, where, pay, co, reqs, perks, facts, contact)


def b_legit_entry_training(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES + INDUSTRIAL)
    co = company(r)
    job = v.pick(
        r,
        [
            "Management Trainee",
            "Operator Produksi (Fresh Graduate)",
            "Sales Trainee",
            "Barista Trainee",
            "Kasir Trainee",
            "Teknisi Trainee",
            "Program Magang Bersertifikat",
            "Staff Gudang Pemula",
            "Customer Service Trainee",
            "Crew Store",
            "Apprentice Mekanik",
            "Junior Programmer Bootcamp",
        ],
    )
    pay = (
        idr(r, money_between(r, 3_000_000, 4_500_000), money_between(r, 4_500_000, 6_500_000))
        if maybe(r, 0.6)
        else r.choice(["UMK", "Uang saku selama training + gaji UMK", "Sesuai UMK setelah training"])
    )
    reqs = [
        age_range(r, (17, 19), (24, 28)),
        *v.picks(
            r,
            [
                "Tidak perlu pengalaman",
                "Lulusan SMA/SMK semua jurusan",
                "Fresh graduate D3/S1",
                "Mau belajar",
                "Pria/Wanita",
                "Sehat",
                "Disiplin",
                "Bersedia ditempatkan di luar kota",
            ],
            2,
            5,
        ),
    ]
    perks = v.picks(
        r,
        [
            "Training GRATIS",
            "Uang saku selama training",
            "BPJS",
            "Sertifikat",
            "Mess untuk luar kota",
            "Seragam gratis",
            "Jenjang karir jelas",
            "Makan siang",
        ],
        2,
        4,
    )
    facts = v.picks(
        r,
        [
            "Tidak perlu pengalaman, akan diberikan pelatihan",
            "Training 1-3 bulan dibayar",
            "Tidak ada biaya pelatihan, seragam, atau ID card",
            "Ijazah asli TIDAK ditahan",
            f"Penempatan {city}",
            "Seleksi: psikotes, interview, kesehatan (dibiayai perusahaan)",
            "Setelah training diangkat karyawan kontrak",
            "Tidak dipungut biaya apapun",
            "Kuota 30 peserta",
        ],
        2,
        4,
    )
    r.shuffle(facts)
    contact = contact_company(c, co, city) if maybe(r, 0.75) else contact_chat(c, v, 0.1)
    headline = v.pick(
        r,
        [
            f"Lowongan {job}",
            "Loker tanpa pengalaman",
            f"Program {job} {co}",
            f"Dibutuhkan {job}, ada training",
            "Fresh graduate? Yuk gabung",
            f"Rekrutmen {job}",
        ],
    )
    return Draft(
        "legit_entry_training",
        headline,
        job,
        city,
        pay,
        co,
        reqs,
        perks,
        facts,
        contact,
        urgency=v.pick(r, ["", "", "Segera", "Kuota terbatas"]),
    )


BUILDERS: dict[str, Callable[[Ctx, Voice], Draft]] = {
    "online_scam_compound": b_online_scam_compound,
    "sexual_exploitation": b_sexual_exploitation,
    "bride_trafficking": b_bride_trafficking,
    "nonprocedural_migrant": b_nonprocedural_migrant,
    "ship_crew": b_ship_crew,
    "fee_fraud": b_fee_fraud,
    "task_scam": b_task_scam,
    "impersonation": b_impersonation,
    "legit_local": b_legit_local,
    "legit_overseas_p3mi": b_legit_overseas_p3mi,
    "legit_entertainment": b_legit_entertainment,
    "legit_remote_cs": b_legit_remote_cs,
    "legit_high_pay": b_legit_high_pay,
    "legit_entry_training": b_legit_entry_training,
}


# ---------------------------------------------------------------------------------------------
# Contrast pairs: one legit ad full of feared words, and its twin that keeps every legal word but
# adds ONE decisive red flag. The label follows the decisive fact, not the vocabulary.
# ---------------------------------------------------------------------------------------------

# Words people fear in job ads; a legit ad holding one is marked `hard_negative`.
FEARED = [
    "gaji besar",
    "paspor",
    "luar negeri",
    "tiket pesawat",
    "wanita 18",
    "mess",
    "tanpa pengalaman",
    "tidak perlu pengalaman",
    "admin online",
    "malaysia",
    "visa",
    "karaoke",
    "pemandu lagu",
    "LC",
    "open BO",
    "kamboja",
    "arab saudi",
    "ABK",
    "kapal",
    "dollar",
    "USD",
    "tanpa biaya",
    "plus-plus",
]

FEARED_PERKS = ["Gaji besar", "Tiket pesawat ditanggung", "Mess disediakan", "Paspor dibantu urus"]


def twin_with(
    legit: Draft, modus: str, flag_fact: str, flag: str, r: random.Random, drop: Iterable[str] = (), **changes: object
) -> Draft:
    """The illegal twin: same words, one fact swapped in (at the place of a dropped or random fact)."""
    facts = list(legit.facts)
    dropped = [i for i, f in enumerate(facts) if any(word in f for word in drop)]
    if dropped:
        legit.key_fact = facts[dropped[0]]
        facts[dropped[0]] = flag_fact
        facts = [f for i, f in enumerate(facts) if i not in dropped[1:]]
    else:
        facts.insert(r.randint(0, len(facts)), flag_fact)
    return replace(legit, modus=modus, facts=facts, flag=flag, key_fact=flag_fact, **changes)  # type: ignore[arg-type]


def contrast_pair(c: Ctx, v: Voice) -> tuple[Draft, Draft]:
    """A (legit, illegal) pair that differs in one decisive detail."""
    r = c.r
    kind = r.choice(["overseas", "overseas", "overseas", "entertainment", "remote", "training", "bigfirm", "crew"])
    if kind == "overseas":
        legit = b_legit_overseas_p3mi(c, v)
        legit.perks = list(dict.fromkeys(legit.perks + r.sample(FEARED_PERKS, 2)))
        if maybe(r, 0.5):
            legit.reqs[0] = r.choice(["Wanita 18-25 tahun", "Wanita usia 18-25", "Pria/Wanita 18-30"])
        flag = r.choice(["tourist_visa", "passport_held", "debt", "cambodia", "money", "money"])
        if flag == "tourist_visa":
            fact = v.pick(
                r,
                [
                    "Berangkat pakai visa turis dulu, visa kerja diurus setelah sampai",
                    "Sementara pakai visa kunjungan, nanti dikonversi di sana",
                    "Visa ziarah/umroh dulu, sampai sana langsung kerja",
                ],
            )
            return legit, twin_with(
                legit, "nonprocedural_migrant", fact, "tourist visa", r, drop=["Visa kerja", "visa turis"]
            )
        if flag == "passport_held":
            fact = v.pick(
                r,
                [
                    "Paspor dipegang agensi selama kontrak untuk keamanan",
                    "Paspor disimpan kantor sampai kontrak selesai",
                    "Paspor ditahan majikan selama kerja",
                ],
            )
            return legit, twin_with(
                legit,
                "nonprocedural_migrant",
                fact,
                "passport held",
                r,
                drop=["Paspor dipegang sendiri", "Paspor dibuat sendiri"],
            )
        if flag == "debt":
            fee = idr(r, money_between(r, 15_000_000, 45_000_000, 1_000_000))
            fact = v.pick(
                r,
                [
                    f"Biaya proses {fee} dipotong dari gaji 8 bulan pertama",
                    f"Dana talangan {fee}, dicicil lewat potong gaji",
                    f"Hutang biaya berangkat {fee} dibayar dari gaji",
                ],
            )
            return legit, twin_with(
                legit,
                "nonprocedural_migrant",
                fact,
                "debt repaid from wages",
                r,
                drop=["Tidak ada potongan", "NOL rupiah"],
            )
        if flag == "cambodia":
            country, towns = r.choice(COMPOUND_DESTS[:2])
            town = r.choice(towns)
            job = r.choice(["Admin Online", "Customer Service", "Operator Chat"])
            fact = f"Penempatan kantor {town}, {country}"
            twin = twin_with(
                legit,
                "online_scam_compound",
                fact,
                f"{country} placement",
                r,
                drop=["Penempatan", "Kamboja"],
                place=f"{town}, {country}",
                job=job,
            )
            twin.headline = legit.headline.replace(legit.place, country)
            return legit, twin
        fee = idr(r, money_between(r, 500_000, 5_000_000, 100_000))
        fact = v.pick(
            r,
            [
                f"Transfer biaya administrasi {fee} ke rekening koordinator sebelum medical",
                f"Booking kuota dengan DP {fee} via DANA",
                f"Biaya medical & berkas {fee} dibayar di muka",
            ],
        )
        return legit, twin_with(legit, "fee_fraud", fact, "money asked of the applicant", r, drop=["NOL rupiah"])
    if kind == "entertainment":
        legit = b_legit_entertainment(c, v)
        legit.reqs = ["Wanita 18-25 tahun", *legit.reqs[1:]]
        legit.perks = list(dict.fromkeys([*legit.perks, "Mess disediakan", "Gaji besar"]))
        fact = v.pick(
            r,
            [
                "Bisa open BO, fee dibagi dua",
                "Tamu bisa booking keluar",
                "Usia 16 boleh asal mau",
                "Kasbon di depan, dipotong dari setoran tiap malam",
                "Layanan plus-plus untuk tamu VIP",
                "Wajib kirim foto full body & video",
            ],
        )
        return legit, twin_with(
            legit,
            "sexual_exploitation",
            fact,
            "sexual service / minor / debt",
            r,
            drop=["Bukan LC", "open BO", "berizin", "minimal 18"],
        )
    if kind == "remote":
        legit = b_legit_remote_cs(c, v)
        flag = r.choice(["cambodia", "deposit", "money"])
        if flag == "cambodia":
            country, towns = r.choice(COMPOUND_DESTS[:3])
            fact = f"Penempatan kantor {r.choice(towns)}, {country}, berangkat pakai visa turis"
            return legit, twin_with(
                legit,
                "online_scam_compound",
                fact,
                f"{country} placement + tourist visa",
                r,
                drop=["kerja remote", "Interview online", "bukan penempatan", "Kamboja"],
            )
        if flag == "deposit":
            dep = idr(r, money_between(r, 100_000, 1_000_000, 50_000))
            fact = v.pick(
                r,
                [
                    f"Sebelum mulai wajib deposit {dep} untuk aktivasi akun kerja",
                    f"Top up saldo {dep} untuk membuka tugas pertama",
                ],
            )
            return legit, twin_with(legit, "task_scam", fact, "deposit asked", r, drop=["deposit", "biaya apapun"])
        fee = idr(r, money_between(r, 150_000, 900_000, 50_000))
        fact = f"Biaya pembuatan akun & training {fee} ditransfer dulu"
        return legit, twin_with(
            legit, "fee_fraud", fact, "money asked of the applicant", r, drop=["biaya apapun", "Training"]
        )
    if kind == "training":
        legit = b_legit_entry_training(c, v)
        fee = idr(r, money_between(r, 250_000, 1_500_000, 50_000))
        fact = v.pick(
            r,
            [
                f"Biaya pelatihan & seragam {fee} dibayar sebelum training",
                f"Peserta transfer {fee} untuk ID card dan sertifikat",
                f"Uang jaminan {fee}, kembali setelah 3 bulan kerja",
            ],
        )
        return legit, twin_with(
            legit, "fee_fraud", fact, "money asked of the applicant", r, drop=["Tidak ada biaya", "Tidak dipungut"]
        )
    if kind == "bigfirm":
        legit = b_legit_high_pay(c, v)
        firm, stem, domain = r.choice([f for f in BIG_FIRMS if f[2]])
        legit.company, legit.contact = firm, Contact(url="www." + domain + "/karir")
        legit.headline = f"Rekrutmen {legit.job} {firm}"
        kind2, value = lookalike(r, stem)
        contact = Contact(url=value) if kind2 == "url" else Contact(email=value)
        twin = replace(legit, modus="impersonation", flag="look-alike contact for a big employer", contact=contact)
        if maybe(r, 0.3):
            twin = twin_with(
                twin,
                "impersonation",
                "Kode OTP yang masuk ke HP Anda kirimkan ke HRD untuk verifikasi",
                "look-alike contact + OTP asked",
                r,
            )
        return legit, twin
    # crew: licensed manning agency vs debt-bonded fishing crew
    agency = company(r) + " (manning agency berizin)"
    pay = foreign(r, "USD", 800, 1500) + "/bulan"
    legit = Draft(
        "legit_overseas_p3mi",
        r.choice(["Lowongan crew kapal pesiar", "Dibutuhkan ABK kapal niaga", "Rekrutmen pelaut kapal luar negeri"]),
        r.choice(["Crew Kapal Pesiar (Housekeeping)", "ABK Deck Rating", "Cook Kapal Niaga"]),
        "Kapal berbendera asing",
        pay,
        agency,
        [age_range(r, (18, 21), (30, 38)), "Wajib punya BST & buku pelaut", "Sehat, lulus MCU resmi"],
        ["Gaji besar", "Tiket pesawat ditanggung", "Asuransi"],
        r.sample(
            [
                "Perjanjian Kerja Laut ditandatangani di Syahbandar",
                "Gaji dibayar tiap bulan ke rekening",
                "Paspor dipegang sendiri oleh pekerja",
                "Tidak ada potongan gaji untuk biaya penempatan",
                "Sesuai MLC 2006",
                "Agensi berizin SIUPPAK",
            ],
            4,
        ),
        contact_company(c, agency, r.choice(CITIES)),
    )
    fact = v.pick(
        r,
        [
            "Paspor & buku pelaut dipegang agen selama kontrak",
            "Gaji 6 bulan pertama dipotong untuk jaminan",
            "Gaji dibayar di akhir kontrak 2 tahun",
        ],
    )
    return legit, twin_with(
        legit,
        "ship_crew",
        fact,
        "documents held / wages withheld",
        r,
        drop=["Paspor dipegang sendiri", "Tidak ada potongan", "tiap bulan"],
    )


# ---------------------------------------------------------------------------------------------
# Voices: layout and writing habits. Each returns (title, text).
# ---------------------------------------------------------------------------------------------

ABBREV = {
    "yang": ["yg"],
    "untuk": ["utk", "buat"],
    "dengan": ["dgn", "dg"],
    "tidak": ["tdk", "gak", "ga", "nggak"],
    "sudah": ["udh", "sdh"],
    "bisa": ["bs", "bisa"],
    "langsung": ["lgsg", "langsung"],
    "segera": ["sgr"],
    "karena": ["krn"],
    "juga": ["jg"],
    "saja": ["aja"],
    "sama": ["sm"],
    "tahun": ["thn", "th"],
    "bulan": ["bln"],
    "hubungi": ["hub", "hubungin"],
    "informasi": ["info"],
    "perempuan": ["cewek", "cewe"],
    "laki-laki": ["cowok", "cowo"],
    "sekarang": ["skrg"],
    "banyak": ["byk"],
    "berangkat": ["brgkt", "brangkat"],
    "lowongan": ["loker"],
    "dulu": ["dl"],
    "nanti": ["ntr", "ntar"],
    "belum": ["blm"],
    "orang": ["org"],
    "pengalaman": ["pengalaman", "pglmn"],
    "minggu": ["mgg"],
    "silakan": ["silahkan"],
    "kerja": ["kerja", "kerjo"],
    "gratis": ["free", "gratis"],
    "transfer": ["tf", "trf"],
    "terima kasih": ["makasih", "trims"],
    "dibutuhkan": ["di butuhkan", "dibtuhkan"],
    "persyaratan": ["syarat2", "persyaratan"],
}
JAVANESE = {
    "tidak": "mboten",
    "sudah": "sampun",
    "mau": "gelem",
    "saja": "wae",
    "yang": "sing",
    "kerja": "kerjo",
    "cepat": "cepet",
    "bisa": "iso",
    "tanya": "takon",
    "uang": "duit",
    "teman": "konco",
}
ENGLISH = {
    "Tidak perlu pengalaman": "No experience needed",
    "Gaji": "Salary",
    "Fasilitas": "Benefits",
    "Kerja dari rumah": "Work from home",
    "Tiket pesawat ditanggung": "Flight ticket covered",
    "Mess disediakan": "Accommodation provided",
    "Bonus": "Bonus",
    "Pria/Wanita": "Male/Female",
    "Syarat": "Requirements",
    "Penempatan": "Placement",
    "Bisa langsung kerja": "Can start immediately",
    "Kontrak kerja": "Work contract",
    "Fresh graduate dipersilakan": "Fresh graduates are welcome",
    "Bahasa Inggris aktif": "Fluent English",
    "Training": "Training",
    "Interview": "Interview",
}
TYPOS = {
    "kualifikasi": "kualifkasi",
    "pengalaman": "pengalamn",
    "persyaratan": "persyaratn",
    "lamaran": "lamran",
    "perusahaan": "perushaan",
    "fasilitas": "fasilitass",
    "segera": "segra",
    "penempatan": "penempatn",
    "berminat": "berminta",
    "silakan": "silahkan",
    "maksimal": "maximal",
    "sertifikat": "sertipikat",
    "November": "Nopember",
    "dibayar": "di bayar",
    "diurus": "di urus",
    "ditanggung": "di tanggung",
}


@dataclass(frozen=True)
class Noise:
    """How messy a voice's writing is."""

    abbrev: float = 0.0
    typo: float = 0.0
    lower: float = 0.0
    caps: bool = False
    ocr: float = 0.0
    javanese: float = 0.0
    english: float = 0.0


def sub_words(r: random.Random, text: str, table: dict[str, list[str]] | dict[str, str], p: float) -> str:
    if p <= 0:
        return text
    for word, repl in table.items():
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)

        def swap(m: re.Match[str], repl: list[str] | str = repl) -> str:
            if not maybe(r, p):
                return m.group(0)
            out = r.choice(repl) if isinstance(repl, list) else repl
            return out.upper() if m.group(0).isupper() and len(m.group(0)) > 1 else out

        text = pattern.sub(swap, text)
    return text


def typo_words(r: random.Random, text: str, rate: float) -> str:
    """Keyboard slips on ordinary words; numbers, links and handles are left alone."""
    if rate <= 0:
        return text
    text = sub_words(r, text, TYPOS, min(1.0, rate * 8))

    def slip(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 5 or not maybe(r, rate):
            return w
        i = r.randint(1, len(w) - 2)
        kind = r.randint(0, 2)
        if kind == 0:
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        if kind == 1:
            return w[:i] + w[i + 1 :]
        return w[:i] + w[i] + w[i:]

    return re.sub(r"(?<![@/.\w])[A-Za-z]{5,}(?![@/.\w])", slip, text)


OCR_SWAPS = [
    ("rn", "m"),
    ("m", "rn"),
    ("l", "I"),
    ("I", "l"),
    ("O", "0"),
    ("o", "0"),
    ("e", "c"),
    ("G", "C"),
    ("S", "5"),
    ("a", "o"),
    ("i", "l"),
    ("B", "8"),
    ("u", "v"),
    ("g", "q"),
]


def ocr_noise(r: random.Random, text: str, rate: float) -> str:
    """What EasyOCR does to a poster: lost line breaks, confused glyphs, stray marks, merged words."""
    text = re.sub(r"[•✅✔️📌📍💰📲🔥]+", lambda m: r.choice(["", "", "e ", "- ", "| "]), text)
    text = re.sub(r"\s*\n+\s*", " ", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if maybe(r, rate):
            for a, b in OCR_SWAPS:
                if text.startswith(a, i):
                    out.append(b)
                    i += len(a)
                    break
            else:
                if ch == " " and maybe(r, 0.5):
                    i += 1
                    continue
                out.append(ch)
                i += 1
            continue
        out.append(ch)
        i += 1
        if ch == " " and maybe(r, rate / 6):
            out.append(r.choice(["| ", "~ ", ". ", "' "]))
    return "".join(out)


def apply_noise(r: random.Random, text: str, n: Noise) -> str:
    text = sub_words(r, text, JAVANESE, n.javanese)
    text = sub_words(r, text, ABBREV, n.abbrev)
    text = typo_words(r, text, n.typo)
    if n.caps:
        text = text.upper()
    elif n.lower and maybe(r, n.lower):
        text = text.lower()
    if n.ocr:
        text = ocr_noise(r, text, n.ocr)
    return text


def english(r: random.Random, text: str, p: float) -> str:
    for word, repl in ENGLISH.items():
        if word in text and maybe(r, p):
            text = text.replace(word, repl)
    return text


def contact_lines(r: random.Random, v: Voice, ct: Contact, chatty: bool = False) -> list[str]:
    """The answering details in the voice's words; chat voices prefer WA/Telegram wording."""
    lines: list[str] = []
    who = f" ({ct.name})" if ct.name else ""
    if ct.phone:
        lines.append(
            v.pick(
                r,
                [
                    "WA",
                    "WA:",
                    "Hub",
                    "Hubungi",
                    "Info lanjut WA",
                    "Kontak",
                    "Telp/WA",
                    "Chat WA",
                    "CP",
                    "Whatsapp",
                    "No HP",
                ],
            )
            + " "
            + fmt_phone(r, ct.phone)
            + who
        )
    if ct.telegram:
        lines.append(v.pick(r, ["Telegram", "PM telegram", "Tele", "DM", "Langsung PM"]) + " " + ct.telegram)
    if ct.email:
        lines.append(
            v.pick(r, ["Kirim CV ke", "Email", "Lamaran dikirim ke", "CV ke email", "Send CV to"]) + " " + ct.email
        )
    if ct.url:
        lines.append(v.pick(r, ["Daftar di", "Info lengkap", "Link pendaftaran", "Apply via", "Klik"]) + " " + ct.url)
    if ct.walk_in:
        lines.append(v.pick(r, ["Walk in interview:", "Datang langsung ke", "Alamat:"]) + " " + ct.walk_in)
    if chatty and not lines:
        lines.append("Inbox aja")
    return lines


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)" else text + "."


def lead_facts(d: Draft, k: int) -> list[str]:
    """The first k facts, always including the one a contrast pair turns on."""
    facts = d.facts[:k]
    if d.key_fact and d.key_fact not in facts:
        facts = [d.key_fact, *facts[: max(0, k - 1)]]
    return facts


Render = Callable[[random.Random, Voice, Draft], tuple[str, str]]


def r_telegram(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    em = ["🔥", "🚨", "📢", "⚡", "🌏", "💥", "✨"]
    head = d.headline.upper() if maybe(r, 0.7) else d.headline
    lines = [f"{r.choice(em)} {head} {r.choice([*em, ''])}".strip()]
    if d.urgency and maybe(r, 0.6):
        lines.append(f"‼️ {d.urgency.upper()} ‼️")
    info = [
        f"💼 {v.pick(r, ['Posisi', 'Job', 'Jabatan', 'Dibutuhkan'])} : {d.job}",
        f"📍 {v.pick(r, ['Lokasi', 'Penempatan', 'Negara', 'Area'])} : {d.place}",
    ]
    if d.pay:
        info.append(f"💰 {v.pick(r, ['Gaji', 'Salary', 'Gaji pokok', 'Penghasilan'])} : {d.pay}")
    if d.company and maybe(r, 0.5):
        info.insert(0, f"🏢 {d.company}")
    blocks = [["", *info]]
    bullet = r.choice(["✅", "✔️", "☑️", "▪️", "👉"])
    if d.reqs:
        blocks.append(
            [
                "",
                f"📝 {v.pick(r, ['Syarat', 'Persyaratan', 'Kriteria', 'Kualifikasi'])}:",
                *[f"{bullet} {x}" for x in d.reqs],
            ]
        )
    if d.perks:
        blocks.append(
            ["", f"🎁 {v.pick(r, ['Fasilitas', 'Benefit', 'Keuntungan'])}:", *[f"{bullet} {x}" for x in d.perks]]
        )
    if d.facts:
        mark = r.choice(["📌", "⚠️", "➡️", "•"])
        blocks.append(
            ["", *[f"{mark} {x}" for x in d.facts]] if maybe(r, 0.6) else ["", " ".join(sentence(x) for x in d.facts)]
        )
    head_block, rest = blocks[0], blocks[1:]
    if maybe(r, 0.35):
        r.shuffle(rest)
    for b in [head_block, *rest]:
        lines.extend(b)
    lines.append("")
    lines.extend(f"📲 {x}" for x in contact_lines(r, v, d.contact))
    if maybe(r, 0.5):
        lines.append(
            " ".join(
                r.sample(
                    [
                        "#loker",
                        "#lowongankerja",
                        "#infoloker",
                        "#kerjaluarnegeri",
                        "#lokerterbaru",
                        "#lowongan",
                        "#kerja",
                        "#gajibesar",
                    ],
                    r.randint(2, 4),
                )
            )
        )
    return "", "\n".join(lines)


def r_olx(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    title = v.pick(
        r, [f"{d.job} - {d.place}", f"Lowongan {d.job}", f"Dibutuhkan {d.job}", d.headline, f"Loker {d.job} {d.place}"]
    )
    opener = v.pick(
        r,
        [
            f"{d.company or 'Kami'} membuka lowongan kerja untuk posisi {d.job}.",
            f"Dibutuhkan segera {d.job} untuk penempatan {d.place}.",
            f"Kami sedang mencari kandidat untuk mengisi posisi {d.job}.",
            f"{d.headline}.",
            f"Lowongan pekerjaan {d.job} ({d.place}).",
        ],
    )
    parts = [opener]
    if d.reqs:
        numbered = maybe(r, 0.6)
        parts.append(
            v.pick(r, ["Kualifikasi:", "Persyaratan:", "Syarat:", "Dengan kualifikasi sebagai berikut:"])
            + "\n"
            + "\n".join(f"{i}. {x}" if numbered else f"- {x}" for i, x in enumerate(d.reqs, 1))
        )
    if d.perks:
        parts.append(
            v.pick(r, ["Fasilitas:", "Benefit:", "Yang didapat:"]) + "\n" + "\n".join(f"- {x}" for x in d.perks)
        )
    if d.pay:
        parts.insert(r.randint(1, len(parts)), f"{v.pick(r, ['Gaji', 'Gaji yang ditawarkan', 'Penghasilan'])}: {d.pay}")
    if d.facts:
        facts = " ".join(sentence(x) for x in d.facts)
        # Some posters lead with the story and list requirements after it.
        parts.insert(1 if maybe(r, 0.35) else len(parts), facts)
    cl = contact_lines(r, v, d.contact)
    if cl:
        parts.append(
            v.pick(r, ["Lamaran dan informasi:", "Hubungi:", "Cara melamar:", "Informasi lebih lanjut:"])
            + "\n"
            + "\n".join(cl)
        )
    if maybe(r, 0.3):
        parts.append(v.pick(r, ["Terima kasih.", "Hanya untuk yang serius.", "Iklan berlaku sampai kuota terpenuhi."]))
    return title, "\n\n".join(parts)


# Chatty asides people add to any ad, honest or not: testimony, sympathy, pressure.
INTROS = [
    "Alhamdulillah teman saya sudah berangkat bulan lalu",
    "Daripada nganggur di rumah mending kerja",
    "Buat yang lagi butuh kerja jangan dilewatkan",
    "Info ini dari saudara saya yang kerja di sana",
    "Saya dulu juga susah cari kerja, sekarang sudah enak",
    "Mumpung masih dibuka",
    "Bukan hoax, sudah dicek",
    "Kasihan banyak yang nganggur habis lebaran",
    "Cuma share, bukan saya yang rekrut",
    "Sudah konfirmasi langsung ke kantornya",
]


def r_facebook(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    opener = v.pick(
        r,
        [
            "info loker kak",
            "bismillah, bantu share ya",
            "permisi min izin share loker",
            "assalamualaikum, ada info kerja nih",
            "mohon ijin admin 🙏",
            "buat yg lagi cari kerja",
            "dicari cepat!!",
            "halo semua",
            "info dari temen ya",
        ],
    )
    bits = [f"{opener} {r.choice(['🙏', '😊', '', '', '👇'])}".strip()]
    if maybe(r, 0.3):
        bits.append(v.pick(r, INTROS).lower())
    bits.append(
        v.pick(
            r,
            [
                f"dibutuhkan {d.job} di {d.place}",
                f"lagi butuh {d.job} penempatan {d.place}",
                f"ada lowongan {d.job} ({d.place})",
                f"{d.headline}, lokasi {d.place}",
            ],
        )
    )
    if d.pay:
        bits.append(v.pick(r, [f"gajinya {d.pay}", f"gaji {d.pay}", f"salary {d.pay}", f"gaji sekitar {d.pay}"]))
    if d.reqs:
        bits.append(
            v.pick(r, ["syaratnya", "syarat", "kriteria", "yg penting"]) + " " + ", ".join(x.lower() for x in d.reqs)
        )
    if d.perks and maybe(r, 0.8):
        bits.append(v.pick(r, ["dapet", "fasilitas", "enaknya"]) + " " + ", ".join(x.lower() for x in d.perks))
    facts = [x.lower() for x in d.facts]
    r.shuffle(facts)
    bits.extend(facts)
    cl = contact_lines(r, v, d.contact, chatty=True)
    bits.append(
        v.pick(r, ["yg minat langsung", "minat?", "serius aja ya,", "info lengkap", "japri aja"])
        + " "
        + " / ".join(cl)
        + " "
        + r.choice(["🙏🙏", "🙏", "😊", "", "makasih"])
    )
    sep = r.choice([". ", ", ", "\n", ". "])
    text = sep.join(b.strip() for b in bits)
    return "", text


def r_whatsapp(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    lines = []
    if maybe(r, 0.35):
        lines += [v.pick(r, ["Assalamualaikum wr wb", "Selamat pagi bapak ibu", "Info penting!", "Bismillah"]), ""]
    if maybe(r, 0.2):
        lines += [v.pick(r, INTROS) + r.choice([".", "!", " 🙏"]), ""]
    lines.append(f"*{d.headline.upper() if maybe(r, 0.6) else d.headline}*")
    if d.company:
        lines.append(f"_{d.company}_")
    lines.append("")
    lines.append(f"*{v.pick(r, ['Posisi', 'Lowongan', 'Dibutuhkan'])}:* {d.job}")
    lines.append(f"*{v.pick(r, ['Lokasi', 'Penempatan', 'Tujuan'])}:* {d.place}")
    if d.pay:
        lines.append(f"*Gaji:* {d.pay}")
    bullet = r.choice(["•", "▪️", "-", "➖", "🔹"])
    if d.reqs:
        lines += ["", f"*{v.pick(r, ['Persyaratan', 'Syarat', 'Kriteria'])}:*", *[f"{bullet} {x}" for x in d.reqs]]
    if d.perks:
        lines += ["", f"*{v.pick(r, ['Fasilitas', 'Benefit'])}:*", *[f"{bullet} {x}" for x in d.perks]]
    if d.facts:
        lines += (
            ["", *[f"{bullet} {x}" for x in d.facts]] if maybe(r, 0.5) else ["", " ".join(sentence(x) for x in d.facts)]
        )
    lines += [
        "",
        v.pick(r, ["Info lanjut hub:", "Minat hubungi:", "Pendaftaran:", "Kontak:"]),
        *contact_lines(r, v, d.contact),
    ]
    if maybe(r, 0.6):
        lines += [
            "",
            "_"
            + v.pick(
                r,
                [
                    "Mohon dibantu share, siapa tahu ada saudara yang butuh kerja",
                    "Sebarkan ke grup lain ya",
                    "Bantu share ke keluarga 🙏",
                    "Forward ke yang membutuhkan",
                ],
            )
            + "_",
        ]
    return "", "\n".join(lines)


def r_sms(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    bits = [d.headline]
    if d.company and d.company not in d.headline:
        bits.append(d.company)
    bits.append(f"{d.job} {d.place}")
    if d.pay:
        bits.append(f"GAJI {d.pay}")
    bits += d.reqs[: r.randint(0, 2)]
    bits += lead_facts(d, r.randint(1, 3))
    if d.urgency:
        bits.append(d.urgency)
    bits += contact_lines(r, v, d.contact)
    return "", r.choice([". ", " ", ", "]).join(b.strip(". ") for b in bits if b)


def r_jobboard(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    title = v.pick(r, [f"{d.job} - {d.company}" if d.company else d.job, f"{d.job} ({d.place})", d.job])
    parts = []
    if d.company:
        parts.append(
            v.pick(r, ["About Us", "Tentang Perusahaan", "Company Overview"])
            + "\n"
            + v.pick(
                r,
                [
                    f"{d.company} adalah perusahaan yang berkembang dan membuka kesempatan berkarir.",
                    f"{d.company} is a growing company looking for talented people.",
                    f"{d.company} invites qualified candidates to join our team.",
                ],
            )
        )
    parts.append(
        v.pick(r, ["Job Description", "Deskripsi Pekerjaan", "Responsibilities"])
        + "\n"
        + "\n".join(f"- {x}" for x in d.facts)
    )
    if d.reqs:
        parts.append(
            v.pick(r, ["Requirements", "Qualifications", "Kualifikasi"]) + "\n" + "\n".join(f"- {x}" for x in d.reqs)
        )
    if d.perks:
        parts.append(
            v.pick(r, ["Benefits", "What we offer", "Fasilitas"]) + "\n" + "\n".join(f"- {x}" for x in d.perks)
        )
    meta = [f"Location: {d.place}"]
    if d.pay:
        meta.append(f"Salary: {d.pay}")
    meta.append(f"Employment type: {v.pick(r, ['Full-time', 'Contract', 'Kontrak', 'Full time'])}")
    parts.insert(0, "\n".join(meta))
    parts.append(
        v.pick(r, ["How to apply", "Cara melamar", "Apply"]) + "\n" + "\n".join(contact_lines(r, v, d.contact))
    )
    return title, english(r, "\n\n".join(parts), 0.5)


def r_instagram(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    lines = [v.pick(r, ["WE ARE HIRING", "WE'RE HIRING", "LOWONGAN KERJA", "JOB VACANCY", "LOKER", "OPEN RECRUITMENT"])]
    if d.company:
        lines.append(d.company.upper())
    lines.append(d.job.upper())
    lines.append(d.place.upper())
    if d.reqs:
        lines += [v.pick(r, ["Kualifikasi :", "Requirements:", "Syarat :"]), *[f"• {x}" for x in d.reqs]]
    if d.perks:
        lines += [v.pick(r, ["Benefit :", "Fasilitas :"]), *[f"• {x}" for x in d.perks]]
    if d.pay:
        lines.append(f"Gaji {d.pay}")
    lines += d.facts
    lines += contact_lines(r, v, d.contact)
    lines.append(
        f"@{r.choice(['info', 'loker', 'lowongan', 'kerja'])}{r.choice(['.', '_', ''])}"
        f"{r.choice(['id', 'terbaru', 'update', 'indonesia', 'jobs'])}{r.randint(1, 99)}"
    )
    return "", "\n".join(lines)


def r_calo(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    opener = v.pick(
        r,
        [
            "monggo sing butuh kerjo",
            "dulur2 sing lagi golek kerjaan",
            "lur, ono lowongan",
            "info kerjo rek",
            "sopo sing gelem kerjo",
            "kanggo dulur sing butuh",
        ],
    )
    bits = [opener, f"{d.job.lower()} neng {d.place}"]
    if maybe(r, 0.3):
        bits.insert(1, v.pick(r, INTROS).lower())
    if d.pay:
        bits.append(v.pick(r, [f"bayarane {d.pay}", f"gaji {d.pay}", f"duite {d.pay}"]))
    if d.reqs:
        bits.append("syarate gampang " + ", ".join(x.lower() for x in d.reqs[:3]))
    bits += [x.lower() for x in d.facts]
    if d.perks:
        bits.append(", ".join(x.lower() for x in d.perks))
    cl = contact_lines(r, v, d.contact, chatty=True)
    bits.append(
        v.pick(r, ["sing minat ndang hubungi", "langsung wae", "takon2 japri", "minat wa"])
        + " "
        + " ".join(cl)
        + " "
        + r.choice(["nggih", "lur", "rek", "🙏", ""])
    )
    return "", r.choice([", ", " ", ". ", " .. "]).join(bits)


def r_jaksel(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    opener = v.pick(
        r,
        [
            "Hi guys! We're hiring nih 🙌",
            "Halo besties, ada opportunity seru nih ✨",
            "Hello everyone! Lagi open hiring buat",
            "Psst, buat kalian yang lagi job hunting 👀",
            "Heads up guys!",
            "Anyway, ada info loker nih",
        ],
    )
    lines = [
        opener,
        v.pick(
            r,
            [
                f"Posisinya {d.job}, basically kerjanya di {d.place}.",
                f"Role: {d.job} ({d.place})",
                f"We need {d.job} for {d.place} which is literally cocok buat fresh grad.",
            ],
        ),
    ]
    if d.pay:
        lines.append(
            v.pick(r, [f"Salary-nya {d.pay}, worth it banget sih.", f"Salary: {d.pay}", f"Gajinya {d.pay} btw."])
        )
    if d.reqs:
        lines.append(v.pick(r, ["Requirements-nya:", "Kriteria:", "What we're looking for:"]) + " " + "; ".join(d.reqs))
    if d.perks:
        lines.append(v.pick(r, ["Benefit-nya:", "Perks:", "Yang kamu dapet:"]) + " " + ", ".join(d.perks))
    lines += [sentence(x) for x in d.facts]
    lines.append(
        v.pick(r, ["Interested? Langsung aja", "So, kalau minat", "Don't miss it! Contact", "Yuk apply"])
        + " "
        + " | ".join(contact_lines(r, v, d.contact))
        + r.choice([" 💌", " 🚀", "", " ✌️"])
    )
    return "", english(r, r.choice(["\n", " ", "\n\n"]).join(lines), 0.5)


def r_short(r: random.Random, v: Voice, d: Draft) -> tuple[str, str]:
    bits = [v.pick(r, [f"dicari {d.job}", f"butuh {d.job}", f"loker {d.job}", f"{d.job} dibutuhkan"]) + f" {d.place}"]
    if d.pay:
        bits.append(f"gaji {d.pay}")
    bits += d.reqs[:1] if maybe(r, 0.5) else []
    bits += lead_facts(d, r.randint(1, 2))
    bits += contact_lines(r, v, d.contact, chatty=True)[:1]
    title = v.pick(r, [d.job, f"Loker {d.job}", f"Dicari {d.job} {d.place}"])
    return title, r.choice([", ", ". ", " - ", "\n"]).join(bits)


@dataclass(frozen=True)
class VoiceSpec:
    """One deliberately different author: where they post, how they lay out and mess up an ad."""

    name: str
    sources: tuple[str, ...]
    render: Render
    noise: Noise
    keep: float
    count: int
    weights: dict[str, float] = field(default_factory=dict)
    title_sources: tuple[str, ...] = ("olx", "jobboard")


LEGIT_W = 1.25
VOICES = [
    VoiceSpec(
        "telegram-agent",
        ("telegram",),
        r_telegram,
        Noise(abbrev=0.15, typo=0.01),
        0.55,
        300,
        {"online_scam_compound": 1.8, "nonprocedural_migrant": 1.4, "task_scam": 1.3},
    ),
    VoiceSpec(
        "olx-formal",
        ("olx",),
        r_olx,
        Noise(typo=0.004),
        0.6,
        300,
        {"legit_local": 1.6, "fee_fraud": 1.4, "bride_trafficking": 0.5},
    ),
    VoiceSpec(
        "fb-group-casual",
        ("facebook",),
        r_facebook,
        Noise(abbrev=0.55, typo=0.03, lower=0.8),
        0.5,
        300,
        {"sexual_exploitation": 1.3, "nonprocedural_migrant": 1.3},
    ),
    VoiceSpec(
        "wa-broadcast",
        ("whatsapp",),
        r_whatsapp,
        Noise(abbrev=0.25, typo=0.012),
        0.55,
        300,
        {"impersonation": 1.5, "fee_fraud": 1.2},
    ),
    VoiceSpec(
        "sms-caps",
        ("sms",),
        r_sms,
        Noise(abbrev=0.6, typo=0.008, caps=True),
        0.6,
        240,
        {"impersonation": 3.0, "task_scam": 1.5, "bride_trafficking": 0.5, "legit_entertainment": 0.5},
    ),
    VoiceSpec(
        "jobboard-corporate",
        ("jobboard",),
        r_jobboard,
        Noise(typo=0.002),
        0.6,
        300,
        {"legit_high_pay": 1.6, "legit_overseas_p3mi": 1.3, "sexual_exploitation": 0.5, "bride_trafficking": 0.4},
    ),
    VoiceSpec(
        "ig-poster-ocr",
        ("instagram",),
        r_instagram,
        Noise(ocr=0.035),
        0.55,
        300,
        {"legit_local": 1.5, "legit_entry_training": 1.4, "task_scam": 1.2},
    ),
    VoiceSpec(
        "calo-jawa",
        ("whatsapp", "whatsapp", "facebook"),
        r_calo,
        Noise(abbrev=0.6, typo=0.035, lower=0.95, javanese=0.5),
        0.5,
        300,
        {"nonprocedural_migrant": 2.0, "ship_crew": 1.6, "bride_trafficking": 1.3},
    ),
    VoiceSpec(
        "jaksel-mix",
        ("instagram", "telegram", "facebook"),
        r_jaksel,
        Noise(abbrev=0.2, typo=0.008),
        0.5,
        300,
        {"legit_remote_cs": 1.6, "task_scam": 1.5, "online_scam_compound": 1.3},
    ),
    VoiceSpec("marketplace-short", ("facebook", "olx"), r_short, Noise(abbrev=0.5, typo=0.02, lower=0.6), 0.5, 300, {}),
]


# ---------------------------------------------------------------------------------------------
# Evasive spellings: how posters dodge keyword filters. Applied after a voice's own noise.
# ---------------------------------------------------------------------------------------------

EVADE_WORDS = [
    "gaji",
    "kamboja",
    "myanmar",
    "thailand",
    "laos",
    "visa",
    "paspor",
    "biaya",
    "transfer",
    "deposit",
    "telegram",
    "whatsapp",
    "open bo",
    "booking",
    "plus-plus",
    "tiket",
    "turis",
    "malaysia",
    "kapal",
    "loker",
    "lowongan",
    "admin",
    "berangkat",
    "dollar",
    "kasbon",
    "mahar",
    "nikah",
    "jodoh",
    "kerja",
    "komisi",
    "saldo",
    "lc",
]
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "A": "4", "E": "3", "I": "1", "O": "0", "S": "5"}
HOMOGLYPHS = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "i": "і",
    "A": "А",
    "E": "Е",
    "O": "О",
    "P": "Р",
    "C": "С",
    "K": "К",
    "M": "М",
    "T": "Т",
    "B": "В",
    "H": "Н",
}
EMOJI_FOR = {
    "kamboja": "🇰🇭",
    "myanmar": "🇲🇲",
    "thailand": "🇹🇭",
    "malaysia": "🇲🇾",
    "laos": "🇱🇦",
    "gaji": "💰",
    "berangkat": "✈️",
    "tiket": "🎫",
    "kapal": "🚢",
    "dollar": "💵",
    "nikah": "💍",
    "whatsapp": "📱",
}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060"]
PHONE_RE = re.compile(r"(?:\+62 ?|62|0)8\d[\d .\-]{6,14}\d")


def evade_word(r: random.Random, word: str) -> tuple[str, str]:
    """One evasive spelling of a keyword, and the technique's name."""
    kind = r.choice(["leet", "leet", "spaced", "dotted", "zero_width", "homoglyph", "emoji", "star"])
    if kind == "leet":
        out = "".join(LEET.get(ch, ch) if maybe(r, 0.7) else ch for ch in word)
        if out != word:
            return out, "leet"
        kind = "spaced"
    if kind == "spaced":
        return " ".join(word.upper().replace(" ", "")), "spaced"
    if kind == "dotted":
        return ".".join(word.replace(" ", "")), "dotted"
    if kind == "zero_width":
        return r.choice(ZERO_WIDTH).join(word), "zero_width"
    if kind == "homoglyph":
        out = "".join(HOMOGLYPHS.get(ch, ch) if maybe(r, 0.6) else ch for ch in word)
        return (out, "homoglyph") if out != word else (r.choice(ZERO_WIDTH).join(word), "zero_width")
    if kind == "emoji" and word.lower() in EMOJI_FOR:
        return EMOJI_FOR[word.lower()], "emoji"
    vowels = [i for i, ch in enumerate(word) if ch.lower() in "aiueo"]
    if not vowels:
        return " ".join(word.upper()), "spaced"
    i = r.choice(vowels)
    return word[:i] + r.choice("*#!@") + word[i + 1 :], "star"


def evade_phone(r: random.Random, phone: str) -> tuple[str, str]:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    kind = r.choice(["letters", "words", "spaced", "fullwidth", "mixed_words"])
    if kind == "letters":
        out = "".join(
            {"1": "l", "0": "O", "5": "S", "8": "B", "2": "Z"}.get(ch, ch) if maybe(r, 0.5) else ch for ch in digits
        )
        return out[:4] + " " + out[4:8] + " " + out[8:], "phone_letters"
    if kind == "words":
        zero = r.choice(["nol", "kosong"])
        return " ".join(zero if ch == "0" else DIGIT_WORDS[int(ch)] for ch in digits), "phone_words"
    if kind == "spaced":
        return " ".join(digits), "phone_spaced"
    if kind == "fullwidth":
        return "".join(chr(0xFF10 + int(ch)) if maybe(r, 0.6) else ch for ch in digits), "phone_fullwidth"
    cut = r.randint(4, 7)
    return digits[:cut] + " " + " ".join(DIGIT_WORDS[int(ch)] for ch in digits[cut:]), "phone_words"


def evade(r: random.Random, text: str) -> tuple[str, list[str]]:
    """Rewrite a few keywords, the phone number and 'WA' the way filter-dodgers do."""
    used: list[str] = []
    present = [w for w in EVADE_WORDS if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]
    for word in r.sample(present, min(len(present), r.randint(1, 3))):
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)

        def swap(m: re.Match[str]) -> str:
            out, kind = evade_word(r, m.group(0))
            used.append(kind)
            return out

        text = pattern.sub(swap, text, count=r.randint(1, 2))
    if maybe(r, 0.7):

        def swap_phone(m: re.Match[str]) -> str:
            out, kind = evade_phone(r, m.group(0))
            used.append(kind)
            return out

        text = PHONE_RE.sub(swap_phone, text, count=1)
    if maybe(r, 0.5) and re.search(r"\bWA\b", text):
        text = re.sub(r"\bWA\b", r.choice(["W.A", "W A", "w@", "wasap", "W/A"]), text, count=1)
        used.append("wa_spelling")
    return text, sorted(set(used))


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------

FEARED_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in FEARED) + r")\b", re.IGNORECASE)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


class Corpus:
    """Collects records, refusing exact duplicate texts (so no text carries two labels)."""

    def __init__(self) -> None:
        self.records: list[dict[str, object]] = []
        self.texts: set[str] = set()

    def add_all(self, records: Sequence[dict[str, object]]) -> bool:
        """All or none: a contrast pair is only useful whole."""
        keys = [squash(str(rec["text"])) for rec in records]
        if len(set(keys)) < len(keys) or any(k in self.texts or len(k) < 20 for k in keys):
            return False
        for rec in records:
            self.add(rec)
        return True

    def add(self, record: dict[str, object]) -> bool:
        key = squash(str(record["text"]))
        if key in self.texts or len(key) < 20:
            return False
        self.texts.add(key)
        self.records.append(record)
        return True


def write_ad(r: random.Random, spec: VoiceSpec, v: Voice, d: Draft) -> tuple[str, str, str]:
    """(source, title, text) for a draft in a voice, with the voice's noise."""
    source = r.choice(spec.sources)
    title, text = spec.render(r, v, d)
    text = apply_noise(r, text, spec.noise)
    if source not in spec.title_sources:
        title = ""
    elif spec.noise.caps:
        title = title.upper()
    return source, title, text


def record(
    spec: VoiceSpec,
    n: int,
    d: Draft,
    source: str,
    title: str,
    text: str,
    slice_: str,
    extra: dict[str, object] | None = None,
) -> dict[str, object]:
    batch = f"{slice_}-1"
    notes = f"written by the lokerwatch team, voice {spec.name}, batch {batch} (labelled_data/generate.py, seed {SEED})"
    if d.flag:
        notes += f"; contrast twin, decisive flag: {d.flag}"
    rec: dict[str, object] = {
        "id": f"{VERSION}-{spec.name}-{n:04d}",
        "source": source,
        "title": title,
        "text": text,
        "label": d.label,
        "modus": d.modus,
        "lang": "id",
        "notes": notes,
        "group": f"voice-{spec.name}",
        "slice": slice_,
        "batch": batch,
    }
    if d.label == "legit":
        rec["hard_negative"] = bool(FEARED_PATTERN.search(f"{title} {text}"))
    rec.update(extra or {})
    return rec


# Plain job-ad filler every author uses, whatever the label: keeps the label off these words.
GENERIC_REQS = [
    "Jujur dan disiplin",
    "Sehat jasmani rohani",
    "Pendidikan min SMA/SMK",
    "Bisa bekerja dalam tim",
    "Berpenampilan rapi",
    "Tidak bertato",
    "Fotokopi KTP & KK",
    "Pas foto 3x4",
    "Siap bekerja keras",
    "Komunikatif",
    "Bertanggung jawab",
    "Tidak sedang kuliah",
    "Bisa baca tulis",
]
GENERIC_PERKS = [
    "BPJS",
    "THR",
    "Bonus",
    "Uang makan",
    "Jenjang karir",
    "Lembur dibayar",
    "Seragam",
    "Libur mingguan",
    "Gaji tepat waktu",
]
GENERIC_FACTS = [
    "Kirim CV terbaru",
    "Interview minggu ini",
    "Bisa langsung kerja",
    "Kuota terbatas",
    "Proses cepat",
    "Hanya untuk yang serius",
    "Gaji besar untuk yang rajin",
    "Lingkungan kerja nyaman",
    "Kerja santai",
    "Yang tidak memenuhi syarat mohon tidak menghubungi",
    "Slow respon, chat saja",
    "Bisa bawa teman",
    "Dibutuhkan segera",
    "Utamakan yang domisili dekat",
]


def blend(c: Ctx, v: Voice, d: Draft) -> Draft:
    """Mix in the filler and contact habits that legit and illegal ads share, so neither gives the label away.

    Real small employers often give only a WhatsApp number; fake firms often have a company-looking mailbox.
    """
    r = c.r
    if maybe(r, 0.5):
        d.reqs.insert(r.randint(0, len(d.reqs)), v.pick(r, GENERIC_REQS))
    if maybe(r, 0.35):
        d.perks.insert(r.randint(0, len(d.perks)), v.pick(r, GENERIC_PERKS))
    if maybe(r, 0.4):
        d.facts.insert(r.randint(0, len(d.facts)), v.pick(r, GENERIC_FACTS))
    if d.label == "legit" and (d.contact.email or d.contact.url) and maybe(r, 0.3):
        d.contact = contact_chat(c, v, 0.1)
    elif d.label != "legit" and d.modus != "impersonation" and maybe(r, 0.15):
        d.company = d.company or company(r)
        d.contact = contact_company(c, d.company)
    return d


def generate() -> list[dict[str, object]]:
    """Every voice writes its base ads (some made evasive) and its contrast pairs."""
    phones = PhoneBook(random.Random(SEED))
    corpus = Corpus()
    modi = list(LABEL_OF_MODUS)
    for spec in VOICES:
        r = random.Random(stable_hash(str(SEED), spec.name))
        v = Voice(spec.name, spec.keep)
        c = Ctx(r, phones)
        weights = [spec.weights.get(m, 1.0) * (LEGIT_W if LABEL_OF_MODUS[m] == "legit" else 1.0) for m in modi]
        plan = modi * 3 + r.choices(modi, weights, k=spec.count - 3 * len(modi))
        r.shuffle(plan)
        n = 0
        for modus in plan:
            for _attempt in range(30):
                d = blend(c, v, BUILDERS[modus](c, v))
                source, title, text = write_ad(r, spec, v, d)
                slice_, extra = "base", dict[str, object]()
                if maybe(r, 0.05 if d.label == "legit" else 0.15):
                    text, used = evade(r, text)
                    if used:
                        slice_, extra = "evasive", {"evasion": used}
                n += 1
                if corpus.add(record(spec, n, d, source, title, text, slice_, extra)):
                    break
        for k in range(spec.count // 10):
            legit, twin = contrast_pair(c, v)
            seed = r.randrange(2**32)
            pair_id = f"{VERSION}-{spec.name}-pair-{k:03d}"
            rendered = [write_ad(random.Random(seed), spec, v, d) for d in (legit, twin)]
            if squash(rendered[0][2]) == squash(rendered[1][2]):
                continue
            pair = [
                record(spec, n + i + 1, d, source, title, text, "contrast", {"pair_id": pair_id})
                for i, (d, (source, title, text)) in enumerate(zip((legit, twin), rendered, strict=True))
            ]
            n += 2
            corpus.add_all(pair)
    return corpus.records


def write(records: Sequence[dict[str, object]], path: Path = OUT) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def table(title: str, counts: Counter[str], total: int, unit: str = "ads") -> str:
    rows = [f"| {title} | {unit} | share |", "|---|---:|---:|"]
    rows += [
        f"| {k} | {n} | {100 * n / total:.1f}% |" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(rows)


def cross(title: str, records: Sequence[dict[str, object]], key: str) -> str:
    labels = ["legit", "scam", "trafficking"]
    counts: dict[str, Counter[str]] = {}
    for rec in records:
        counts.setdefault(str(rec.get(key, "")), Counter())[str(rec["label"])] += 1
    rows = [f"| {title} | " + " | ".join(labels) + " | total |", "|---|" + "---:|" * (len(labels) + 1)]
    for k in sorted(counts):
        c = counts[k]
        rows.append(f"| {k} | " + " | ".join(str(c[lab]) for lab in labels) + f" | {sum(c.values())} |")
    return "\n".join(rows)


def stats(records: Sequence[dict[str, object]]) -> str:
    """The datasheet's tables, computed from the records themselves."""
    total = len(records)
    parts = [
        f"Total: {total} ads.",
        table("label", Counter(str(x["label"]) for x in records), total),
        cross("modus", records, "modus"),
        cross("source", records, "source"),
        cross("voice (group)", records, "group"),
        cross("slice", records, "slice"),
    ]
    hard = sum(1 for x in records if x.get("hard_negative"))
    pairs = len({x["pair_id"] for x in records if "pair_id" in x})
    techniques = Counter(t for x in records for t in cast(list[str], x.get("evasion") or []))
    parts.append(f"Legit ads containing feared words (`hard_negative: true`): {hard}. Contrast pairs: {pairs}.")
    parts.append(table("evasion technique", techniques, sum(techniques.values()) or 1, "uses"))
    return "\n\n".join(parts)


def read(path: Path = OUT) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


README = Path(__file__).with_name("README.md")
BEGIN, END = "<!-- stats:begin (python labelled_data/generate.py --stats --readme) -->", "<!-- stats:end -->"


def paste_into_readme(tables: str, readme: Path = README) -> None:
    """Replace the datasheet's counts with freshly computed ones, so the README never drifts from the data."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{tables}\n{END}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stats", action="store_true", help="print datasheet tables for the written file")
    parser.add_argument("--readme", action="store_true", help="with --stats: paste the tables into README.md")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.stats:
        tables = stats(read(args.out))
        if args.readme:
            paste_into_readme(tables)
        else:
            print(tables)
        return 0
    records = generate()
    write(records, args.out)
    print(f"wrote {len(records)} ads to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
