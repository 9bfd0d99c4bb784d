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
    "Jakarta Barat", "Jakarta Timur", "Jakarta Utara", "Jakarta Selatan", "Bekasi", "Tangerang",
    "Tangerang Selatan", "Depok", "Bogor", "Bandung", "Cimahi", "Cirebon", "Semarang", "Solo",
    "Yogyakarta", "Sleman", "Surabaya", "Sidoarjo", "Gresik", "Malang", "Kediri", "Jember", "Medan",
    "Deli Serdang", "Pekanbaru", "Palembang", "Padang", "Jambi", "Bandar Lampung", "Makassar",
    "Manado", "Denpasar", "Badung", "Batam", "Balikpapan", "Samarinda", "Pontianak", "Banjarmasin",
    "Kupang", "Mataram", "Serang", "Cilegon", "Karawang", "Cikarang", "Purwakarta", "Kudus",
    "Tegal", "Purwokerto", "Tasikmalaya", "Garut", "Banyuwangi", "Probolinggo", "Pasuruan",
]
INDUSTRIAL = ["Cikarang", "Karawang", "Purwakarta", "Cilegon", "Batam", "Gresik", "Pasuruan", "Sidoarjo",
              "Tangerang", "Bekasi", "Serang", "Kudus"]
ORIGIN_AREAS = [
    "Kupang", "Sumba Barat Daya", "Flores Timur", "Lombok Timur", "Lombok Tengah", "Indramayu",
    "Cianjur", "Sukabumi", "Karawang", "Singkawang", "Sambas", "Cilacap", "Brebes", "Banyuwangi",
    "Blitar", "Ponorogo", "Lampung Timur", "Subang", "Kendal", "Tulungagung", "Malang Selatan",
]
BORDER_TOWNS = ["Entikong", "Nunukan", "Batam", "Tanjung Pinang", "Dumai", "Tarakan",
                "Tanjung Balai Karimun", "Atambua", "Sebatik", "Bengkalis"]
DEPART_CITIES = ["Jakarta", "Medan", "Batam", "Surabaya", "Denpasar", "Makassar", "Pontianak"]

COMPOUND_DESTS = [
    ("Kamboja", ["Phnom Penh", "Sihanoukville", "Bavet", "Poipet"]),
    ("Myanmar", ["Myawaddy", "Shwe Kokko", "perbatasan Thailand-Myanmar"]),
    ("Thailand", ["Bangkok", "Mae Sot"]),
    ("Laos", ["Bokeo", "Golden Triangle"]),
    ("Filipina", ["Pampanga", "Manila"]),
]
MALAYSIA_PLACES = ["Johor Bahru", "Kuala Lumpur", "Kuching", "Tawau", "Kota Kinabalu", "Sandakan",
                   "Penang", "Selangor", "Miri", "Melaka"]
# Countries named by Kepmenaker 260/2015 (see ../shared/reference): no domestic work placement there.
MIDDLE_EAST_260 = ["Arab Saudi", "Uni Emirat Arab", "Kuwait", "Qatar", "Oman", "Bahrain", "Yordania",
                   "Mesir", "Irak", "Lebanon"]
BRIDE_DESTS = ["China", "Tiongkok", "Taiwan", "Hebei (China)", "Shandong", "Guangzhou", "Taipei"]
FISHING_PORTS = ["Benoa", "Pemalang", "Tegal", "Muara Baru", "Bitung", "Cilacap", "Pekalongan"]
FISHING_WATERS = ["perairan Afrika", "Samudra Hindia", "Samudra Pasifik", "perairan Fiji",
                  "Mauritius", "perairan Peru", "laut Somalia"]

FIRST_NAMES = ["Rina", "Hendra", "Yoga", "Dewi", "Sari", "Afung", "Ucok", "Melly", "Tuti", "Bayu",
               "Wulan", "Joko", "Nia", "Rizky", "Putri", "Agus", "Lina", "Fajar", "Indah", "Dodi",
               "Siska", "Anton", "Maya", "Rudi", "Vivi", "Hasan", "Nurul", "Eko", "Fitri", "Gilang"]
HONORIFICS = ["Bu", "Pak", "Mas", "Kak", "Mbak", "Bang", "Ci", "Koh", "Teh", "Om"]

CO_A = ["Cahaya", "Lintas", "Mitra", "Bumi", "Karya", "Anugerah", "Samudra", "Gemilang", "Nusa",
        "Prima", "Tirta", "Cipta", "Duta", "Graha", "Sinar", "Mega", "Bina", "Arta", "Citra", "Kencana",
        "Wahana", "Pilar", "Surya", "Dirga", "Lentera", "Sekar", "Mahkota", "Panca", "Tunas", "Kenari"]
CO_B = ["Selaras", "Lestari", "Perkasa", "Mandala", "Sejahtera", "Utama", "Abadi", "Makmur", "Sentosa",
        "Persada", "Mulia", "Santosa", "Raya", "Pratama", "Bersinar", "Harmoni", "Kreasi", "Gemintang",
        "Tangguh", "Pesona", "Lumbung", "Dinamika", "Cemerlang", "Bestari", "Wibawa"]
CO_C = ["Indonesia", "Nusantara", "Group", "Internasional", "Logistik", "Solusi", "Teknik", "Retail",
        "Digital", "Food", "Tekstil", "Global", "Elektrindo", "Farma", "", "", ""]

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

MOBILE_PREFIXES = ["0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853", "0814",
                   "0815", "0816", "0817", "0818", "0819", "0859", "0877", "0878", "0831", "0832",
                   "0833", "0838", "0881", "0882", "0883", "0887", "0888", "0895", "0896", "0897",
                   "0898", "0899", "0855", "0856", "0857", "0858"]

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
                str(self.r.randint(0, 9)) for _ in range(self.r.choice([7, 8, 8, 8])))
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


def idr(r: random.Random, lo: int, hi: int | None = None, per: str = "") -> str:
    """An IDR amount or range in one of the forms Indonesian ads use."""
    style = r.randint(0, 7)
    if hi is None:
        text = [f"Rp {rupiah(lo)}", f"Rp{rupiah(lo)},-", f"{jt(lo)}jt", f"{jt(lo)} juta", f"Rp {jt(lo)} jt",
                f"IDR {lo:,}", f"{lo // 1000}K", f"{jt(lo)}JT"][style]
    else:
        text = [f"Rp {rupiah(lo)} - Rp {rupiah(hi)}", f"Rp{rupiah(lo)} s/d Rp{rupiah(hi)}",
                f"{jt(lo)}-{jt(hi)}jt", f"{jt(lo)} - {jt(hi)} juta", f"Rp {jt(lo)}-{jt(hi)} jt",
                f"IDR {lo:,} - {hi:,}", f"{lo // 1000}K-{hi // 1000}K", f"{jt(lo)}JT-{jt(hi)}JT"][style]
    return text + per


def money_between(r: random.Random, lo: int, hi: int, step: int = 250_000) -> int:
    return r.randrange(lo // step, hi // step + 1) * step


def foreign(r: random.Random, currency: str, lo: int, hi: int, step: int = 50) -> str:
    amount = r.randrange(lo // step, hi // step + 1) * step
    amount_text = f"{amount:,}".replace(",", r.choice([",", "."]))
    forms = {
        "USD": [f"USD {amount_text}", f"${amount_text}", f"{amount_text} USD", f"{amount_text}$",
                f"US$ {amount_text}"],
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


def person(r: random.Random) -> str:
    return f"{r.choice(HONORIFICS)} {r.choice(FIRST_NAMES)}"


def age_range(r: random.Random, lo: tuple[int, int], hi: tuple[int, int]) -> str:
    a, b = r.randint(*lo), r.randint(*hi)
    return r.choice([f"Usia {a}-{b} tahun", f"Umur {a} - {b} th", f"usia max {b} thn", f"Usia {a} s/d {b} tahun",
                     f"umur {a}-{b}", f"Usia maksimal {b} tahun"])


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
        contact.telegram = "@" + v.pick(r, [
            "hrd_", "admin_loker_", "rekrutmen_", "info_kerja_", "agency_", "cs_", "loker", "boss_", "mimin_"]) + (
            r.choice(FIRST_NAMES).lower() + str(r.randint(1, 99)))
        if maybe(r, 0.5):
            contact.phone = ""
    return contact


def contact_company(c: Ctx, co: str, walk_in_city: str = "") -> Contact:
    r = c.r
    domain = slug(co) + r.choice([".co.id", ".com", ".id"])
    contact = Contact(email=r.choice(["hrd", "karir", "recruitment", "rekrutmen", "hr", "lamaran"]) + "@" + domain)
    if maybe(r, 0.4):
        contact.url = r.choice(["karir.", "www.", "jobs.", ""]) + domain + r.choice(["/karir", "/careers", ""])
    if maybe(r, 0.35):
        contact.phone = c.phones.new()
    if walk_in_city and maybe(r, 0.3):
        contact.walk_in = (f"Jl. {r.choice(CO_A)} {r.choice(CO_B)} No. {r.randint(1, 199)}, {walk_in_city}")
    return contact


# ---------------------------------------------------------------------------------------------
# Modus builders: each returns a Draft; optional details are included at random.
# ---------------------------------------------------------------------------------------------

LEGAL_DRESSING = [
    "Perusahaan resmi berbadan hukum", "P3MI resmi terdaftar", "TANPA BIAYA / gratis proses",
    "Dapat BPJS Ketenagakerjaan", "Kontrak kerja jelas", "Legal dan aman", "Izin lengkap dari Kemnaker",
    "Bukan penipuan, sudah banyak yang berangkat", "Proses sesuai prosedur",
]


def b_online_scam_compound(c: Ctx, v: Voice) -> Draft:
    r = c.r
    country, towns = r.choice(COMPOUND_DESTS)
    town = r.choice(towns)
    job = v.pick(r, ["Admin Online", "CS Online", "Customer Service", "Operator Chat", "Marketing Online",
                     "Telemarketing", "Admin Sosmed", "Typing / Input Data", "Admin Game Online",
                     "CS Crypto", "Marketing Digital", "Admin Website", "Operator Live Chat"])
    vague = maybe(r, 0.3)
    place = v.pick(r, ["Luar Negeri (Asia)", "negara tetangga", "Asia Tenggara", "LN"]) if vague else (
        f"{town}, {country}" if maybe(r, 0.6) else country)
    pay = foreign(r, r.choice(["USD", "USD", "USDT"]), 700, 1800) if maybe(r, 0.45) else idr(
        r, money_between(r, 8_000_000, 15_000_000, 500_000), money_between(r, 16_000_000, 30_000_000, 1_000_000))
    reqs = [age_range(r, (17, 21), (30, 40))] + v.picks(r, [
        "Bisa mengetik", "Bisa komputer dasar", "Tidak perlu pengalaman", "Lulusan SMP/SMA bisa",
        "Bisa bahasa Inggris dasar (tidak wajib)", "Punya paspor, yang belum ada dibantu",
        "Siap berangkat secepatnya", "Pria / Wanita", "Bisa main HP", "Tidak perlu ijazah",
        "Mau belajar", "Bisa bahasa Mandarin nilai plus"], 2, 5)
    perks = v.picks(r, [
        "Tiket pesawat ditanggung perusahaan", "Mess + makan 3x gratis", "Bonus komisi tiap closing",
        "Gaji dibayar dollar", "Libur 1x seminggu", "Visa diurus perusahaan", "HP & laptop kerja disediakan",
        "Tiket PP gratis", "Free wifi di mess", "Tanpa potongan"], 2, 4)
    decisive = [
        f"Penempatan {town}, {country}",
        v.pick(r, ["Berangkat pakai visa turis dulu, visa kerja diurus di sana",
                   "Berangkat dengan visa kunjungan, nanti diurus bos di lokasi",
                   "Visa on arrival aja, gampang", "berangkat pakai visa liburan"]),
        v.pick(r, ["Kerjanya cuma chat sama klien luar negeri, ada target harian",
                   "Tugas cari member dan chat customer, ada scriptnya",
                   "Kerja depan laptop, chatting dengan orang luar, diajari sampai bisa",
                   "Jobdesk: balas chat, kenalan sama customer, ajak investasi"]),
    ]
    optional = v.picks(r, [
        f"Berangkat dari {r.choice(DEPART_CITIES)}, transit {r.choice(['Bangkok', 'Kuala Lumpur', 'Singapura'])}",
        "Kalau ditanya petugas imigrasi bilang mau liburan ya",
        "Proses cepat 3-5 hari langsung terbang",
        "Tidak lewat agen, langsung user",
        "Kontrak minimal 6 bulan, keluar sebelum kontrak ganti biaya tiket & visa",
        "Sudah banyak teman kita yang kerja disana, aman",
        "Jangan banyak tanya di grup, langsung japri",
        "Jalur darat dari Bangkok ke lokasi dijemput tim kami",
        "Paspor dipegang kantor selama kontrak biar aman",
    ], 1, 3)
    facts = decisive[: r.randint(1, 3)] + optional
    if maybe(r, 0.2):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(r, [f"Lowongan {job} Luar Negeri", f"Dibutuhkan {job}", f"LOKER {job} GAJI DOLLAR",
                          f"Kerja {job} di {country}", "Loker LN tanpa pengalaman", f"Open recruitment {job}",
                          "Kerja di luar negeri, berangkat gratis"])
    return Draft("online_scam_compound", headline, job, place, pay, "", reqs, perks, facts,
                 contact_chat(c, v, 0.55), urgency=v.pick(r, URGENCY))


URGENCY = ["BUTUH CEPAT", "Segera!", "Kuota terbatas", "Berangkat minggu ini", "Siapa cepat dia dapat",
           "Hari ini terakhir", "URGENT", "Slot tinggal 5 orang", "Jangan sampai ketinggalan", ""]


def b_sexual_exploitation(c: Ctx, v: Voice) -> Draft:
    r = c.r
    local = maybe(r, 0.75)
    place = r.choice(["Batam", "Jakarta Utara", "Denpasar", "Timika", "Merauke", "Kutai Kartanegara",
                      "Tanjung Pinang", "Pekanbaru", "Dumai", "Sorong", "Manado", "Bandung", "Surabaya",
                      "Puncak Bogor", "Balikpapan"]) if local else r.choice(
        ["Malaysia (Johor)", "Kuala Lumpur", "Jepang", "Makau", "Dubai"])
    job = v.pick(r, ["LC", "Pemandu Lagu", "PL Karaoke", "Terapis Spa", "Waitress Cafe", "Hostess",
                     "Lady Companion", "Purel", "Pelayan Bar", "Terapis Pijat", "Penari", "Talent"])
    pay = idr(r, money_between(r, 300_000, 800_000, 50_000), money_between(r, 1_000_000, 3_000_000), "/malam") \
        if maybe(r, 0.5) else idr(r, money_between(r, 8_000_000, 25_000_000, 1_000_000), None, "/bulan")
    reqs = [r.choice(["Wanita", "Cewek", "Perempuan", "Cewe cantik"]),
            age_range(r, (15, 18), (22, 27))] + v.picks(r, [
        "Berpenampilan menarik", "Tidak perlu ijazah", "Tidak perlu pengalaman", "Kirim foto full body",
        "Tinggi min 155", "Siap kerja malam", "Mau minum dengan tamu", "KTP tidak wajib",
        "Belum punya KTP juga bisa", "Kulit putih/langsing", "Tidak bertato", "Siap diajak keluar"], 2, 5)
    perks = v.picks(r, ["Mess gratis", "Tips besar dari tamu", "Makan ditanggung", "Kasbon bisa di depan",
                        "Uang muka 2-5 juta buat keluarga", "Tiket berangkat ditanggung", "Jemput di bandara",
                        "Make up & baju disediakan", "Bonus minuman"], 2, 4)
    decisive = v.picks(r, [
        "Bisa open BO", "Ada booking out tamu, fee dibagi", "Layanan plus-plus", "BO boleh, asal sepakat harga",
        "Usia 16 17 boleh, yang penting mau kerja", "Kasbon dipotong dari setoran", "Wajib kirim foto & video",
        "Tidak boleh keluar mess tanpa izin mami", "Target minum & tamu per malam",
        "Tamu VIP bisa bawa keluar", "Nemenin tamu sampai pagi",
    ], 1, 3)
    facts = decisive + v.picks(r, [
        "Kerja santai gaji besar", "Tidak ada potongan", "Privasi terjamin", "Bisa langsung kerja",
        "Tempat aman dan nyaman", "Pengalaman tidak diutamakan", "Jam kerja 20.00 - 04.00",
        "Berangkat hari ini dijemput", "Legal dan aman"], 1, 3)
    r.shuffle(facts)
    headline = v.pick(r, [f"Dicari {job}", f"Loker {job} {place}", "Lowongan cewek cafe", "Butuh LC cepat",
                          f"Open recruitment {job}", "Dibutuhkan wanita untuk kerja malam",
                          "Lowongan karaoke gaji harian", "CARI CEWEK KERJA"])
    return Draft("sexual_exploitation", headline, job, place, pay, "", reqs, perks, facts,
                 contact_chat(c, v, 0.25), urgency=v.pick(r, URGENCY))


def b_bride_trafficking(c: Ctx, v: Voice) -> Draft:
    r = c.r
    dest = r.choice(BRIDE_DESTS)
    origin = r.choice(["Singkawang", "Pontianak", "Sambas", "Jawa Barat", "Indramayu", "Cianjur", "NTB",
                       "Kalbar", "Subang", "Karawang"])
    job = v.pick(r, ["Calon Istri", "Jodoh Pria Mapan", "Program Perjodohan", "Kawin Kontrak",
                     "Istri untuk Pengusaha", "Calon pengantin", "Pernikahan Internasional"])
    dowry = money_between(r, 50_000_000, 250_000_000, 10_000_000)
    pay = idr(r, dowry)
    reqs = [r.choice(["Wanita", "Perempuan", "Gadis", "Janda muda boleh"]),
            age_range(r, (15, 18), (23, 30))] + v.picks(r, [
        "Belum menikah", "Tidak perlu bisa bahasa Mandarin", "Berpenampilan menarik", "Sehat",
        "Kirim foto wajah", "Tidak perlu ijazah", "Mau tinggal di luar negeri", "Siap berangkat"], 2, 4)
    perks = v.picks(r, [f"Mahar {pay} untuk keluarga", "Paspor & dokumen diurus", "Semua biaya ditanggung",
                        "Uang saku orang tua", "Tiket pesawat gratis", "Hidup enak di luar negeri",
                        "Bisa kirim uang ke keluarga tiap bulan"], 2, 4)
    facts = v.picks(r, [
        f"Calon suami pria {dest} yang mapan, pengusaha", "Kenalan dulu lewat video call",
        "Nikah siri dulu di sini baru berangkat", "Keluarga dapat uang 10-20 juta setelah akad",
        f"Berangkat ke {dest} setelah nikah", "Tidak perlu lamaran resmi, semua diurus mak comblang",
        "Boleh sambil kerja di pabrik sana", "Dokumen umur bisa diatur", "Rahasia terjamin",
        f"Sudah banyak gadis {origin} yang sukses disana"], 3, 5)
    if maybe(r, 0.15):
        facts.append(v.pick(r, LEGAL_DRESSING))
    headline = v.pick(r, [f"Dicari wanita untuk dinikahkan dengan pria {dest}", "Program jodoh luar negeri",
                          f"Cari istri untuk pria {dest}", "Mau hidup enak? Menikah dengan pria mapan",
                          "Info perjodohan gratis", f"Kawin dengan orang {dest}, mahar besar"])
    return Draft("bride_trafficking", headline, job, dest, pay, "", reqs, perks, facts, contact_chat(c, v, 0.15),
                 urgency=v.pick(r, URGENCY))


def b_nonprocedural_migrant(c: Ctx, v: Voice) -> Draft:
    r = c.r
    route = r.random()
    if route < 0.55:
        country = "Malaysia"
        place = f"{r.choice(MALAYSIA_PLACES)}, Malaysia" if maybe(r, 0.6) else "Malaysia"
        job = v.pick(r, ["Pekerja Ladang Sawit", "Operator Kilang", "Pelayan Restoran", "Tukang Bangunan",
                         "ART", "Cleaning Service", "Jaga Orang Tua", "Kerja Kedai Makan", "Helper Kilang",
                         "Babysitter", "Kerja Kebun"])
        pay = foreign(r, "RM", 1500, 3000) if maybe(r, 0.6) else idr(
            r, money_between(r, 5_000_000, 9_000_000, 500_000))
    elif route < 0.85:
        country = r.choice(MIDDLE_EAST_260)
        place = country
        job = v.pick(r, ["ART", "PRT", "Pembantu Rumah Tangga", "Babysitter", "Jaga Lansia di rumah",
                         "Nanny", "Sopir Pribadi", "Pengasuh Anak", "Khadimat"])
        pay = foreign(r, "SAR", 1200, 2500) if country == "Arab Saudi" and maybe(r, 0.6) else idr(
            r, money_between(r, 6_000_000, 12_000_000, 500_000))
    else:
        country = r.choice(["Brunei", "Singapura", "Hong Kong", "Taiwan", "Korea Selatan", "Jepang"])
        place = country
        job = v.pick(r, ["Pabrik", "ART", "Perawat Lansia", "Kerja Restoran", "Kerja Ladang", "Konstruksi"])
        pay = idr(r, money_between(r, 8_000_000, 25_000_000, 1_000_000))
    border = r.choice(BORDER_TOWNS)
    reqs = [age_range(r, (17, 21), (35, 45))] + v.picks(r, [
        "Pria / Wanita", "Tanpa pengalaman", "Tidak perlu ijazah", "Sehat", "Belum punya paspor bisa",
        "Tidak perlu bisa bahasa Inggris", "Siap berangkat", "Janda boleh", "KTP & KK saja"], 2, 4)
    perks = v.picks(r, ["Berangkat gratis", "Tiket ditanggung", "Makan & tempat tinggal ditanggung majikan",
                        "Gaji besar", "Uang saku untuk keluarga", "Lembur banyak", "Majikan baik"], 1, 3)
    decisive = [
        v.pick(r, ["Paspor diurus di sana", "Berangkat pakai visa kunjungan dulu",
                   "Pakai visa umroh/ziarah, sampai sana langsung kerja", "Permit kerja diurus majikan nanti",
                   "Tidak perlu ke Disnaker atau BP2MI, ribet", "Tidak lewat PT, langsung majikan",
                   "Job order tidak perlu", "Masuk pakai paspor pelancong"]),
        v.pick(r, [f"Lewat jalur {border}", f"Berangkat dari {border} naik kapal ferry",
                   f"Kumpul di {border} dulu, nanti dijemput", f"Nyebrang lewat {border}",
                   f"Transit {border} 2 hari"]),
        v.pick(r, ["Gaji dipotong 4-6 bulan untuk biaya berangkat", "Paspor dipegang agen/majikan",
                   "Biaya proses diganti potong gaji", "Hutang tiket dicicil dari gaji"]),
    ]
    facts = decisive[: r.randint(1, 3)] + v.picks(r, [
        "Proses cepat 1 minggu terbang", "Tidak ribet", "Banyak teman dari kampung sudah disana",
        "Tanpa tes bahasa", "Tanpa pelatihan", "Bisa bawa teman/saudara", "Dijemput di kampung",
        f"Kumpul di {r.choice(ORIGIN_AREAS)}"], 1, 3)
    if maybe(r, 0.25):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(r, [f"Lowongan kerja {country}", f"Dibutuhkan {job} {country}", f"Kerja ke {country}",
                          f"Job {job} gaji besar", "Kerja luar negeri tanpa ribet", f"Loker {country} cepat berangkat"])
    return Draft("nonprocedural_migrant", headline, job, place, pay, "", reqs, perks, facts,
                 contact_chat(c, v, 0.15), urgency=v.pick(r, URGENCY))


def b_ship_crew(c: Ctx, v: Voice) -> Draft:
    r = c.r
    flagship = r.choice(["Taiwan", "China", "Korea", "Vanuatu", "Fiji", "Mauritius"])
    job = v.pick(r, ["ABK Kapal Ikan", "ABK Long Line", "Deck Hand", "ABK Kapal Cumi", "Cook Kapal",
                     "ABK Kapal Tuna", "Awak Kapal", "Crew Kapal Ikan Luar Negeri", "Mesin / Oiler"])
    port = r.choice(FISHING_PORTS)
    place = f"Kapal {flagship}, {r.choice(FISHING_WATERS)}" if maybe(r, 0.6) else f"Kapal {flagship}"
    pay = foreign(r, "USD", 300, 550) + r.choice(["/bulan", "/bln", ""]) if maybe(r, 0.7) else idr(
        r, money_between(r, 4_500_000, 8_000_000, 500_000))
    reqs = [r.choice(["Pria", "Laki-laki", "Cowok"]), age_range(r, (17, 20), (35, 45))] + v.picks(r, [
        "Belum pernah melaut bisa", "Tidak perlu pengalaman", "Tidak perlu ijazah", "Sehat & kuat",
        "Tidak mabuk laut", "Buku pelaut belum ada dibantu", "Tanpa BST juga bisa", "KTP & KK"], 2, 4)
    perks = v.picks(r, ["Uang saku 2-5 juta sebelum berangkat", "Makan di kapal gratis", "Tiket ditanggung",
                        "Bonus tangkapan", "Mess di {port}".format(port=port), "Gaji dikirim ke keluarga"], 1, 3)
    decisive = v.picks(r, [
        "Gaji dibayar di akhir kontrak", "Potongan jaminan 3-6 bulan gaji",
        "Paspor & buku pelaut dipegang agen", "Kontrak 2 tahun di laut tidak sandar",
        "Biaya proses dipotong dari gaji", "Uang saku dihitung kasbon, dipotong gaji",
        "Berhenti sebelum kontrak kena denda", "Buku pelaut diurus cepat tanpa sekolah"], 1, 3)
    facts = decisive + v.picks(r, [f"Berangkat dari {port}", "Proses cepat", "Kapal besar dan aman",
                                   "Tidak perlu bisa bahasa asing", "Kumpul di mess agen dulu",
                                   "Jemput di terminal"], 1, 2)
    if maybe(r, 0.2):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    headline = v.pick(r, [f"Lowongan {job}", f"Dibutuhkan {job} kapal asing", "Loker ABK gaji dollar",
                          "Kerja di kapal luar negeri", f"Cari {job} berangkat cepat", "ABK KAPAL LUAR"])
    return Draft("ship_crew", headline, job, place, pay, "", reqs, perks, facts, contact_chat(c, v, 0.1),
                 urgency=v.pick(r, URGENCY))


FEE_ITEMS = ["seragam", "pelatihan", "medical check up", "ID card", "administrasi", "tes kesehatan",
             "pembuatan kartu anggota", "training", "sertifikat", "mess bulan pertama", "asuransi",
             "jaminan", "pendaftaran", "PCR/MCU", "biaya visa & tiket"]


def fee_text(c: Ctx, v: Voice) -> str:
    r = c.r
    item = r.choice(FEE_ITEMS)
    amount = idr(r, money_between(r, 100_000, 2_500_000, 50_000))
    return v.pick(r, [
        f"Biaya {item} {amount} ditransfer sebelum mulai kerja",
        f"Ada biaya {item} {amount}, nanti dikembalikan setelah gajian",
        f"Wajib bayar {item} {amount} ke rekening panitia",
        f"Transfer uang {item} {amount} via DANA/OVO",
        f"Biaya {item} cuma {amount}, sekali bayar",
        f"Peserta menanggung biaya {item} {amount}",
        f"Uang {item} {amount} dibayar saat konfirmasi",
    ])


def b_fee_fraud(c: Ctx, v: Voice) -> Draft:
    r = c.r
    overseas = maybe(r, 0.25)
    if overseas:
        country = r.choice(["Jepang", "Korea", "Taiwan", "Jerman", "Australia", "Polandia", "Kanada", "Dubai"])
        job = v.pick(r, ["Pabrik", "Caregiver", "Petani Buah", "Welder", "Cleaning Service", "Kerja Hotel"])
        place = country
        pay = idr(r, money_between(r, 18_000_000, 45_000_000, 1_000_000))
        fee = idr(r, money_between(r, 5_000_000, 45_000_000, 1_000_000))
        facts = [v.pick(r, [f"Biaya proses {fee} bisa dicicil", f"DP {fee} untuk booking kuota",
                            f"Biaya keberangkatan {fee}, sudah termasuk semuanya",
                            f"Transfer {fee} untuk pengurusan visa kerja"])]
        facts += v.picks(r, ["Tanpa tes bahasa", "Pasti berangkat", "Tanpa antri", "Kuota khusus dari kedutaan",
                             "Uang kembali kalau tidak berangkat"], 1, 3)
    else:
        job = v.pick(r, ["Staff Gudang", "Admin Kantor", "Security", "Operator Produksi", "Pramugari",
                         "Karyawan Pabrik", "SPG", "Kurir", "Driver", "Kasir", "Crew Kapal Pesiar",
                         "Staff Bandara", "Cleaning Service", "Helper", "Packing"])
        place = r.choice(CITIES)
        pay = idr(r, money_between(r, 5_000_000, 12_000_000, 500_000))
        facts = [fee_text(c, v)]
        if maybe(r, 0.3):
            facts.append(fee_text(c, v))
        facts += v.picks(r, ["Langsung kerja tanpa tes", "Pasti diterima", "Lulusan SMP juga bisa",
                             "Tanpa interview", "Kuota terbatas 20 orang", "Rekening atas nama koordinator",
                             "Kirim bukti transfer ke admin", "Yang tidak transfer dianggap mengundurkan diri",
                             "Gaji pertama langsung cair minggu depan"], 1, 3)
    reqs = [age_range(r, (17, 20), (30, 45))] + v.picks(r, [
        "Pria/Wanita", "Min SMP/SMA", "Tidak perlu pengalaman", "Sehat", "Jujur", "Fotokopi KTP",
        "Pas foto 3x4", "Siap kerja"], 2, 4)
    perks = v.picks(r, ["Mess", "BPJS", "Uang makan", "Bonus", "Jenjang karir", "Seragam", "Transport"], 1, 3)
    if maybe(r, 0.25):
        facts.append(v.pick(r, LEGAL_DRESSING))
    r.shuffle(facts)
    co = company(r) if maybe(r, 0.5) else ""
    headline = v.pick(r, [f"Lowongan {job}", f"Dibutuhkan {job} {place}", f"Rekrutmen besar {job}",
                          f"LOKER {job} LANGSUNG KERJA", f"Penerimaan {job} tahun ini", f"Open rekrut {job}"])
    return Draft("fee_fraud", headline, job, place, pay, co, reqs, perks, facts, contact_chat(c, v, 0.2),
                 urgency=v.pick(r, URGENCY))


def b_task_scam(c: Ctx, v: Voice) -> Draft:
    r = c.r
    task = v.pick(r, ["like & subscribe YouTube", "follow akun TikTok", "kasih rating hotel",
                      "review produk marketplace", "kasih bintang 5 Google Maps", "nonton video",
                      "like postingan Instagram", "rating film", "order fiktif di marketplace",
                      "klik iklan", "isi survei"])
    job = v.pick(r, ["Kerja Paruh Waktu", "Part Time dari HP", "Freelance Online", "Kerja Sampingan",
                     "Pekerja Lepas", "Admin Tugas", "Kerja Online"])
    per_task = idr(r, money_between(r, 10_000, 60_000, 5_000))
    daily = idr(r, money_between(r, 200_000, 500_000, 50_000), money_between(r, 600_000, 2_000_000, 100_000),
                r.choice(["/hari", " per hari", " sehari"]))
    dep = idr(r, money_between(r, 50_000, 500_000, 50_000))
    facts = [v.pick(r, [f"Tugasnya cuma {task}", f"Tugas: {task}, kirim screenshot", f"cukup {task} dari HP"]),
             v.pick(r, [f"Komisi {per_task} per tugas", f"1 tugas dibayar {per_task}", f"Upah {per_task}/task"])]
    facts += v.picks(r, [
        f"Tugas premium: deposit {dep} dapat kembali 130%", f"Isi saldo {dep} dulu untuk buka misi",
        "Gabung grup Telegram mentor untuk tugas berikutnya", "Langsung cair ke DANA/OVO/GoPay",
        "Tanpa modal", "Hanya butuh 30 menit sehari", "Cocok untuk IRT & mahasiswa",
        "Bonus pendaftaran 20rb", "Kirim screenshot ke resepsionis", "Tidak mengganggu pekerjaan utama",
        "Misi gagal jika saldo tidak di-top up", "Minta kode OTP untuk verifikasi akun"], 2, 4)
    reqs = v.picks(r, ["Punya HP Android", "Usia 23+", "Punya rekening/e-wallet", "Bisa WhatsApp",
                       "Tidak perlu pengalaman", "Siapa saja bisa"], 1, 3)
    r.shuffle(facts)
    headline = v.pick(r, [f"{job}, gaji harian", "Dicari pekerja paruh waktu", "Kerja dari rumah, dibayar harian",
                          "Halo kak, ada lowongan part time", f"Penghasilan tambahan {daily}",
                          "Selamat siang, kami dari tim rekrutmen"])
    return Draft("task_scam", headline, job, "Dari rumah / online", daily, "", reqs, [], facts,
                 contact_chat(c, v, 0.5), urgency=v.pick(r, URGENCY))


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
    job = v.pick(r, ["Operator", "Staff Administrasi", "Teknisi", "Security", "Staff Gudang", "Driver",
                     "Management Trainee", "Pramugari", "Staff Lapangan", "Customer Service", "Helper"])
    kind, value = lookalike(r, stem)
    contact = Contact(phone=c.phones.new() if maybe(r, 0.6) else "")
    if kind == "url":
        contact.url = value
    else:
        contact.email = value
    place = v.pick(r, ["Seluruh Indonesia", "Penempatan seluruh cabang", r.choice(CITIES), "Jakarta & luar kota"])
    pay = idr(r, money_between(r, 6_000_000, 15_000_000, 500_000)) if maybe(r, 0.5) else ""
    reqs = v.picks(r, ["Tamatan SMA/SMK/D3/S1", "Usia 18-35 tahun", "Pria/Wanita", "Semua jurusan",
                       "Tidak buta warna", "Sehat jasmani rohani"], 1, 3)
    facts = v.picks(r, [
        f"{firm} membuka penerimaan karyawan baru besar-besaran",
        "Anda lolos seleksi berkas, wajib konfirmasi kehadiran tes",
        f"Tes dilaksanakan di Hotel {r.choice(CO_A)} {r.choice(CITIES)}",
        "Reservasi hotel & tiket tes melalui travel agent yang ditunjuk panitia",
        "Pendaftaran ditutup dalam 3 hari", "Isi formulir lengkap dan upload KTP",
        f"Hubungi HRD {firm} untuk jadwal", "Kode OTP yang masuk harap diteruskan ke panitia untuk verifikasi",
        "Tidak dipungut biaya pendaftaran", "Informasi ini resmi dari panitia rekrutmen",
        "Sebarkan ke keluarga yang butuh kerja"], 2, 4)
    if maybe(r, 0.15):
        facts.append(f"Biaya akomodasi tes {idr(r, money_between(r, 1_500_000, 3_500_000, 100_000))} "
                     "ditransfer ke travel agent, akan diganti perusahaan")
    headline = v.pick(r, [f"Rekrutmen {firm}", f"Lowongan kerja {firm}", f"{firm} membuka lowongan",
                          f"Penerimaan karyawan {firm} tahun ini", f"INFO LOKER {firm}",
                          f"Panggilan tes {firm}"])
    return Draft("impersonation", headline, job, place, pay, firm, reqs, [], facts, contact,
                 urgency=v.pick(r, URGENCY))


WARNINGS = [
    "Tidak dipungut biaya apapun", "Seluruh proses rekrutmen GRATIS", "Hati-hati penipuan mengatasnamakan kami",
    "Kami tidak pernah meminta transfer uang", "Waspada calo", "Bila diminta biaya, abaikan",
]


def b_legit_local(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES)
    job = v.pick(r, ["Admin Gudang", "Kasir Minimarket", "Operator Produksi", "Staff Accounting", "Sales Motoris",
                     "Kurir", "Driver Box", "Security", "Teknisi AC", "Guru Les SD", "Staff HRD",
                     "Admin Online Shop", "Staff Purchasing", "Helper Toko", "Mekanik Motor", "Cleaning Service",
                     "Juru Masak", "Staff Marketing", "Admin Ekspedisi", "Quality Control", "Apoteker",
                     "Perawat Klinik", "Desain Grafis", "Tukang Jahit", "Barista"])
    co = company(r, r.choice(["PT", "PT", "CV", "Toko", "Klinik"]))
    pay = idr(r, money_between(r, 2_500_000, 4_500_000), money_between(r, 4_500_000, 7_000_000)) if maybe(
        r, 0.6) else r.choice(["UMK", "UMR + lembur", "Sesuai UMK " + city, "Gaji pokok + insentif", ""])
    reqs = [age_range(r, (18, 20), (25, 40))] + v.picks(r, [
        "Pendidikan min SMA/SMK", "Lulusan D3/S1", "Pria", "Wanita", "Pria/Wanita",
        "Berpenampilan menarik", "Jujur dan disiplin", "Punya SIM C", "Punya SIM A", "Bisa Ms Office",
        "Domisili dekat lokasi", "Pengalaman min 1 tahun", "Fresh graduate dipersilakan",
        "Bisa bekerja dalam tim", "Tidak bertato", "Sehat jasmani rohani", "Belum menikah"], 2, 5)
    perks = v.picks(r, ["BPJS Ketenagakerjaan & Kesehatan", "Uang makan", "Uang transport", "Lembur dibayar",
                        "THR", "Mess untuk karyawan luar kota", "Bonus bulanan", "Jenjang karir",
                        "Seragam disediakan gratis", "Kontrak PKWT, bisa diangkat tetap", "Cuti tahunan"], 1, 4)
    facts = v.picks(r, [
        f"Penempatan {city}", "Interview langsung di kantor, bawa CV & fotokopi KTP",
        "Jam kerja Senin-Sabtu 08.00-16.00", "Sistem shift", "Lamaran ditutup akhir bulan ini",
        "Hanya kandidat yang memenuhi syarat yang akan dihubungi", "Bisa langsung kerja",
        "Gaji besar untuk yang berprestasi", "Dibutuhkan segera 2 orang"], 1, 3)
    if maybe(r, 0.5):
        facts.append(v.pick(r, WARNINGS))
    r.shuffle(facts)
    contact = contact_company(c, co, city) if maybe(r, 0.7) else contact_chat(c, v, 0.1)
    headline = v.pick(r, [f"Lowongan {job}", f"Dibutuhkan {job}", f"Loker {city}: {job}",
                          f"{co} membuka lowongan {job}", f"We are hiring {job}", f"Lowongan kerja {city}"])
    return Draft("legit_local", headline, job, city, pay, co, reqs, perks, facts, contact,
                 urgency=v.pick(r, URGENCY[:3] + [""] * 5))


@dataclass(frozen=True)
class Scheme:
    country: str
    jobs: tuple[str, ...]
    currency: str
    lo: int
    hi: int
    extras: tuple[str, ...]


LEGAL_SCHEMES = [
    Scheme("Korea Selatan", ("Manufaktur (G to G EPS)", "Perikanan EPS", "Pertanian EPS"), "KRW", 2_000_000,
           2_600_000, ("Program G to G Korea EPS, pendaftaran EPS-TOPIK hanya lewat KP2MI/BP2MI",
                       "Wajib lulus ujian EPS-TOPIK", "Tidak ada calo, tidak ada biaya selain biaya ujian resmi")),
    Scheme("Jepang", ("Caregiver (Tokutei Ginou / SSW)", "Food Processing SSW", "Welder SSW",
                      "Pertanian SSW"), "JPY", 170_000, 240_000,
           ("Jalur Specified Skilled Worker (SSW), wajib lulus JFT-Basic/JLPT N4 dan tes keterampilan",
            "Pelatihan bahasa Jepang 6 bulan di LPK mitra", "Visa kerja SSW diurus sebelum berangkat")),
    Scheme("Jepang", ("Peserta Magang IM Japan",), "JPY", 130_000, 160_000,
           ("Program magang IM Japan kerja sama Kemnaker", "Seleksi di Disnaker kabupaten/kota",
            "Uang saku magang sesuai kontrak")),
    Scheme("Jerman", ("Perawat (Triple Win)",), "EUR", 2_300, 3_200,
           ("Program Triple Win Jerman (G to G), bahasa Jerman sampai B1/B2 dibiayai",
            "Lulusan D3/S1 Keperawatan + STR", "Penyetaraan ijazah dibantu")),
    Scheme("Taiwan", ("Operator Pabrik", "Caregiver Panti Jompo", "Operator Mesin"), "NTD", 27_470, 30_000,
           ("Gaji sesuai standar pemerintah Taiwan", "Job order resmi dari agensi Taiwan",
            "Medical di klinik resmi yang ditunjuk")),
    Scheme("Hong Kong", ("Penata Laksana Rumah Tangga (PLRT)", "Perawat Lansia di rumah"), "HKD", 4_990, 5_500,
           ("Kontrak kerja 2 tahun dilegalisasi KJRI", "Libur setiap minggu sesuai kontrak",
            "Asuransi PMI dari BPJS")),
    Scheme("Malaysia", ("Operator Kilang Elektronik", "Pekerja Ladang Sawit"), "RM", 1_700, 2_400,
           ("Job order dari perusahaan Malaysia sudah disahkan", "Permit kerja diurus sebelum berangkat",
            "Penerbangan langsung, bukan lewat jalur darat")),
    Scheme("Arab Saudi", ("Perawat Rumah Sakit", "Staff Hotel"), "SAR", 4_000, 8_000,
           ("Penempatan sektor formal (rumah sakit/hotel), bukan rumah tangga",
            "Kontrak dengan perusahaan pengguna, bukan perorangan", "Visa kerja terbit sebelum terbang")),
    Scheme("Singapura", ("Operator Produksi", "Housekeeping Hotel"), "USD", 1_300, 1_800,
           ("Work permit dari MOM Singapura sebelum berangkat", "Kontrak 2 tahun bisa diperpanjang")),
]

LEGAL_FACTS = [
    "P3MI berizin resmi dari Kementerian P2MI", "Job order dan SIP2MI resmi",
    "Terdaftar di SISKOP2MI, silakan cek", "Visa kerja diurus sebelum berangkat",
    "Wajib ikut Orientasi Pra Pemberangkatan (OPP)", "Pendaftaran lewat Disnaker / LTSA setempat",
    "Biaya penempatan NOL rupiah sesuai UU 18/2017", "Perjanjian kerja ditandatangani sebelum berangkat",
    "Paspor dibuat sendiri di kantor imigrasi asal", "Paspor dipegang sendiri oleh pekerja",
    "Dilindungi BPJS Ketenagakerjaan PMI", "Tidak ada potongan gaji untuk biaya penempatan",
    "Tiket pesawat ditanggung pengguna kerja", "Cek keabsahan lowongan di kantor Disnaker terdekat",
]


def b_legit_overseas_p3mi(c: Ctx, v: Voice) -> Draft:
    r = c.r
    scheme = r.choice(LEGAL_SCHEMES)
    job = r.choice(scheme.jobs)
    step = 10_000 if scheme.currency in ("KRW", "JPY") else 10 if scheme.currency != "NTD" else 100
    pay = foreign(r, scheme.currency, scheme.lo, scheme.hi, step) + r.choice(["/bulan", "/bln", " per bulan", ""])
    agency = company(r) + r.choice([" (P3MI)", "", " - P3MI resmi"])
    reqs = [age_range(r, (18, 21), (28, 40))] + v.picks(r, [
        "Pria / Wanita", "Wanita", "Pria", "Min SMA/SMK", "Sehat (medical resmi)", "Tinggi badan min 155 cm",
        "Tidak bertato", "Punya KTP, KK, akta lahir, ijazah", "Izin orang tua/suami/istri",
        "Belum pernah ke luar negeri juga bisa", "Lulus tes bahasa", "Tidak buta warna"], 2, 5)
    perks = v.picks(r, ["Gaji besar", "Tiket pesawat ditanggung", "Mess/asrama disediakan", "Asuransi",
                        "Lembur dibayar", "Kontrak 2-3 tahun", "BPJS PMI", "Pelatihan bahasa"], 2, 4)
    facts = [r.choice(scheme.extras)] + v.picks(r, LEGAL_FACTS, 2, 4)
    if maybe(r, 0.4):
        facts.append(f"Penempatan {scheme.country}, paspor dan visa kerja diurus resmi")
    r.shuffle(facts)
    contact = contact_company(c, agency, r.choice(CITIES))
    headline = v.pick(r, [f"Lowongan kerja ke {scheme.country}", f"Kerja resmi di {scheme.country}",
                          f"Dibutuhkan {job} untuk {scheme.country}", f"Program kerja luar negeri {scheme.country}",
                          f"Rekrutmen PMI {scheme.country} jalur resmi", f"Peluang kerja luar negeri: {job}"])
    return Draft("legit_overseas_p3mi", headline, job, scheme.country, pay, agency, reqs, perks, facts, contact,
                 urgency=v.pick(r, ["", "", "Kuota terbatas", "Segera daftar"]))


def b_legit_entertainment(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES)
    venue = r.choice(["Karaoke Keluarga", "Cafe & Resto", "Hotel", "Lounge", "Bar & Grill", "Coffee Shop",
                      "Family KTV", "Resort", "Beach Club", "Rooftop Cafe"])
    name = f"{venue} {r.choice(CO_A)} {r.choice(CO_B)}"
    job = v.pick(r, ["Waiter/Waitress", "Barista", "Bartender", "Operator Karaoke", "Pemandu Lagu (PL)",
                     "Resepsionis", "Housekeeping", "Front Office", "Server", "DJ", "Penyanyi Cafe",
                     "Kasir", "Cook Helper", "Room Boy", "Host Event", "Guest Relation Officer"])
    pay = idr(r, money_between(r, 3_000_000, 5_000_000), money_between(r, 5_000_000, 9_000_000)) if maybe(
        r, 0.6) else r.choice(["UMK + service charge", "Gaji pokok + tips", "Gaji besar + service", ""])
    reqs = [age_range(r, (18, 19), (25, 30))] + v.picks(r, [
        "Wanita", "Pria/Wanita", "Berpenampilan menarik", "Tinggi min 155 cm", "Siap kerja shift malam",
        "Ramah dan komunikatif", "Pengalaman di bidang F&B diutamakan", "Tidak perlu pengalaman, ada training",
        "Bisa bahasa Inggris", "Wajib KTP asli, minimal 18 tahun", "Bisa bernyanyi", "Tidak bertato"], 2, 5)
    perks = v.picks(r, ["Mess disediakan", "BPJS Ketenagakerjaan & Kesehatan", "Makan 2x", "Service charge",
                        "Tips dari tamu", "Seragam gratis", "Libur 4x sebulan", "THR", "Antar jemput shift malam",
                        "Gaji besar"], 2, 4)
    facts = v.picks(r, [
        "Bukan LC, tidak ada layanan plus-plus", "Tempat hiburan keluarga berizin resmi",
        "Kontrak kerja tertulis", "Jam kerja 8 jam per shift", "Interview langsung di lokasi bawa CV",
        "Tidak ada open BO, tempat keluarga", "Tidak dipungut biaya apapun", "Dilarang minum alkohol saat kerja",
        "Lingkungan kerja aman, ada security", f"Lokasi {name}, {city}", "Training dari manajemen"], 2, 4)
    r.shuffle(facts)
    contact = contact_company(c, name, city) if maybe(r, 0.55) else contact_chat(c, v, 0.1)
    headline = v.pick(r, [f"Lowongan {job} {name}", f"Dibutuhkan {job}", f"Loker {venue} {city}",
                          f"{name} hiring {job}", f"Lowongan kerja malam {city}", f"Dicari {job} cewek/cowok"])
    return Draft("legit_entertainment", headline, job, city, pay, name, reqs, perks, facts, contact,
                 urgency=v.pick(r, ["", "", "Segera", "Butuh cepat"]))


def b_legit_remote_cs(c: Ctx, v: Voice) -> Draft:
    r = c.r
    co = company(r)
    job = v.pick(r, ["Customer Service (WFH)", "Admin Online", "CS Online Shop", "Live Chat Agent",
                     "Customer Support Remote", "Telesales WFH", "CS Bahasa Mandarin", "Moderator Konten",
                     "Data Entry Remote", "Admin Marketplace", "Call Center Hybrid"])
    city = r.choice(CITIES)
    pay = idr(r, money_between(r, 3_500_000, 5_000_000), money_between(r, 5_000_000, 8_000_000))
    reqs = [age_range(r, (18, 21), (28, 35))] + v.picks(r, [
        "Tidak perlu pengalaman", "Fresh graduate welcome", "Punya laptop & internet stabil",
        "Bisa bahasa Inggris", "Bisa mengetik cepat", "Min SMA/SMK", "Bisa bahasa Mandarin (untuk posisi CS Mandarin)",
        "Teliti dan sabar", "Domisili bebas", "Siap shift"], 2, 5)
    perks = v.picks(r, ["BPJS", "Kerja dari rumah", "Training 2 minggu dibayar", "Tunjangan internet",
                        "Kontrak PKWT", "Bonus target", "Laptop dipinjamkan", "Cuti", "THR"], 2, 4)
    facts = v.picks(r, [
        "Interview online via Zoom/Google Meet", f"Kantor pusat di {city}, kerja remote dari rumah",
        "Tidak ada biaya apapun selama rekrutmen", "Tidak ada deposit, tidak ada top up",
        "Kontrak kerja resmi dengan perusahaan", "Target chat harian wajar, ada KPI",
        "Menangani chat customer e-commerce", "Gaji ditransfer ke rekening tiap tanggal 25",
        "Training dulu sebelum mulai", "Jam kerja 8 jam, sistem shift"], 2, 4)
    if maybe(r, 0.3):
        facts.append(v.pick(r, WARNINGS))
    r.shuffle(facts)
    contact = contact_company(c, co)
    headline = v.pick(r, [f"Lowongan {job}", "Kerja dari rumah: Customer Service", f"{co} membuka lowongan {job}",
                          f"Hiring {job}", "Loker WFH tanpa pengalaman", "Admin online, kerja dari rumah"])
    return Draft("legit_remote_cs", headline, job, "Remote / " + city, pay, co, reqs, perks, facts, contact,
                 urgency=v.pick(r, ["", "", "Segera", "Kuota terbatas"]))


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
    job, lo, hi, where = r.choice([
        ("Senior Software Engineer", 18, 40, "Jakarta / Remote"), ("Operator Alat Berat", 12, 20, "Site Morowali"),
        ("Mining Engineer", 20, 45, "Site Kutai Timur"), ("Data Scientist", 18, 35, "Jakarta Selatan"),
        ("Offshore Drilling Supervisor", 35, 70, "Offshore Natuna"), ("Dokter Spesialis", 40, 80, "Kupang"),
        ("Sales Manager", 15, 30, "Surabaya"), ("Mekanik Heavy Equipment", 12, 22, "Site Kalimantan Timur"),
        ("Pilot First Officer", 40, 70, "Jakarta"), ("Electrical Engineer", 15, 30, "Batam"),
        ("Product Manager", 25, 45, "Jakarta"), ("Welder 6G", 12, 18, "Site Weda Bay"),
        ("Chef de Cuisine", 15, 25, "Badung, Bali"), ("Head of Finance", 35, 60, "Jakarta"),
    ])
    pay = idr(r, lo * 1_000_000, hi * 1_000_000) if maybe(r, 0.75) else "Gaji besar (nego sesuai pengalaman)"
    reqs = v.picks(r, [
        f"Pengalaman min {r.randint(3, 8)} tahun di posisi sama", "Punya SIO/sertifikat kompetensi",
        "S1 Teknik/terkait", "Bahasa Inggris aktif", "Bersedia roster 10/2 atau 8/2", "SIM B2 umum",
        "Portofolio", "Usia max 45 tahun", "Pria", "Sehat, lulus MCU", "STR aktif"], 2, 5)
    perks = v.picks(r, ["Gaji besar", "Mess & makan di site", "Tiket cuti ditanggung perusahaan", "BPJS + asuransi swasta",
                        "Bonus tahunan", "Tunjangan site", "Kendaraan operasional", "Saham karyawan"], 2, 4)
    facts = v.picks(r, [
        f"Penempatan {where}", "Proses: seleksi CV, tes teknis, interview user, MCU",
        "Tidak dipungut biaya apapun, waspada penipuan", "Lamaran hanya lewat website resmi",
        "Kandidat terpilih akan dihubungi lewat email resmi perusahaan", "Ikatan kerja PKWTT",
        "Relokasi dibantu perusahaan"], 2, 4)
    r.shuffle(facts)
    headline = v.pick(r, [f"Lowongan {job}", f"{co} is hiring: {job}", f"Dibutuhkan {job} berpengalaman",
                          f"Karir {job}", f"Career opportunity: {job}", f"Rekrutmen {job} {co}"])
    return Draft("legit_high_pay", headline, job, where, pay, co, reqs, perks, facts, contact)


def b_legit_entry_training(c: Ctx, v: Voice) -> Draft:
    r = c.r
    city = r.choice(CITIES + INDUSTRIAL)
    co = company(r)
    job = v.pick(r, ["Management Trainee", "Operator Produksi (Fresh Graduate)", "Sales Trainee", "Barista Trainee",
                     "Kasir Trainee", "Teknisi Trainee", "Program Magang Bersertifikat", "Staff Gudang Pemula",
                     "Customer Service Trainee", "Crew Store", "Apprentice Mekanik", "Junior Programmer Bootcamp"])
    pay = idr(r, money_between(r, 3_000_000, 4_500_000), money_between(r, 4_500_000, 6_500_000)) if maybe(
        r, 0.6) else r.choice(["UMK", "Uang saku selama training + gaji UMK", "Sesuai UMK setelah training"])
    reqs = [age_range(r, (17, 19), (24, 28))] + v.picks(r, [
        "Tidak perlu pengalaman", "Lulusan SMA/SMK semua jurusan", "Fresh graduate D3/S1",
        "Mau belajar", "Pria/Wanita", "Sehat", "Disiplin", "Bersedia ditempatkan di luar kota"], 2, 5)
    perks = v.picks(r, ["Training GRATIS", "Uang saku selama training", "BPJS", "Sertifikat",
                        "Mess untuk luar kota", "Seragam gratis", "Jenjang karir jelas", "Makan siang"], 2, 4)
    facts = v.picks(r, [
        "Tidak perlu pengalaman, akan diberikan pelatihan", "Training 1-3 bulan dibayar",
        "Tidak ada biaya pelatihan, seragam, atau ID card", "Ijazah asli TIDAK ditahan",
        f"Penempatan {city}", "Seleksi: psikotes, interview, kesehatan (dibiayai perusahaan)",
        "Setelah training diangkat karyawan kontrak", "Tidak dipungut biaya apapun",
        "Kuota 30 peserta"], 2, 4)
    r.shuffle(facts)
    contact = contact_company(c, co, city) if maybe(r, 0.75) else contact_chat(c, v, 0.1)
    headline = v.pick(r, [f"Lowongan {job}", "Loker tanpa pengalaman", f"Program {job} {co}",
                          f"Dibutuhkan {job}, ada training", "Fresh graduate? Yuk gabung", f"Rekrutmen {job}"])
    return Draft("legit_entry_training", headline, job, city, pay, co, reqs, perks, facts, contact,
                 urgency=v.pick(r, ["", "", "Segera", "Kuota terbatas"]))


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
