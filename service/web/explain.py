"""Indicator names in Bahasa Indonesia for analysts, and the ad text cut into highlighted segments.

The model's catalogue describes indicators in English for developers; analysts need a short label and
one sentence on *why* the words matter, in their language. Unknown names fall back to their category,
then to the raw name, so a new indicator never breaks the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

# name -> (label, why it matters)
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "upfront_fee": ("Biaya di muka", "Pelamar diminta membayar sebelum bekerja (pendaftaran, seragam, medical, "
                    "jaminan). Perekrut resmi tidak memungut biaya dari pelamar (UU 18/2017)."),
    "money_or_otp_asked": ("Minta uang/OTP", "Pelamar diminta transfer, isi saldo, atau menyerahkan kode OTP/"
                           "data bank: pola penipuan dan pengambilalihan rekening."),
    "task_scam": ("Penipuan tugas", "Kerja 'like & subscribe' atau komisi per tugas: modus penipuan tugas "
                  "yang paling sering dilaporkan ke OJK."),
    "unrealistic_pay": ("Gaji tidak wajar", "Gaji 20 juta ke atas sebulan, atau 10 juta ke atas tanpa keahlian: "
                        "umpan khas perekrutan ke luar negeri."),
    "too_good_pay_phrase": ("Gaji dipuji-puji", "Gaji disebut 'besar', 'fantastis', 'cepat kaya' tanpa angka "
                            "yang jelas."),
    "no_skills_needed": ("Tanpa syarat keahlian", "Tidak perlu pengalaman, ijazah, atau bahasa untuk kerja "
                         "bergaji tinggi atau di luar negeri."),
    "no_selection": ("Tanpa seleksi", "Langsung diterima tanpa tes atau wawancara: tidak ada yang benar-benar "
                     "menyeleksi."),
    "high_risk_destination": ("Tujuan berisiko tinggi", "Penempatan di Kamboja, Myanmar, Laos atau kota "
                              "perbatasannya, lokasi kompleks penipuan daring (online scam)."),
    "visit_visa": ("Visa turis/kunjungan", "Berangkat kerja dengan visa turis, kunjungan atau umrah, bukan visa "
                   "kerja: jalur non-prosedural."),
    "passport_arranged": ("Paspor/visa 'diurus'", "Dokumen 'diurus di sana' atau tidak perlu: pekerja berangkat "
                          "tanpa dokumen atas namanya sendiri."),
    "documents_held": ("Dokumen ditahan", "Paspor, KTP atau ijazah ditahan pemberi kerja/agen: indikator kerja "
                       "paksa."),
    "free_travel": ("Tiket ditanggung", "Tiket dan penjemputan dibayari sebelum ada kontrak: umpan agar calon "
                    "korban berpindah."),
    "transit_town": ("Kota transit", "Titik kumpul atau tiket ke kota perbatasan/transit yang dipakai untuk "
                     "penyeberangan non-prosedural."),
    "young_age_limit": ("Batas usia muda", "Usia maksimal 25 tahun atau kurang: profil perekrutan LC, pengantin "
                        "pesanan, dan kompleks penipuan."),
    "minor_targeted": ("Menyasar anak", "Usia minimal di bawah 18 tahun atau pelajar disasar langsung."),
    "female_only": ("Khusus wanita", "Hanya wanita, tanpa pekerjaan yang menjelaskan alasannya."),
    "appearance_requirement": ("Syarat penampilan", "Penampilan, tubuh atau status pernikahan diminta untuk "
                               "pekerjaan yang tidak membutuhkannya."),
    "lc_companion": ("LC / pemandu lagu", "Kerja LC, pendamping tamu atau 'open BO': jalur eksploitasi seksual."),
    "nightlife_venue": ("Tempat hiburan malam", "Kerja di karaoke, bar, klub malam atau panti pijat."),
    "marriage_offer": ("Tawaran pernikahan", "Pernikahan atau perjodohan ditawarkan sebagai 'pekerjaan'."),
    "chat_only_contact": ("Hanya kontak chat", "Hanya nomor WA/DM, tanpa nama perusahaan, alamat atau e-mail: "
                          "tidak ada pihak yang bisa dimintai tanggung jawab."),
    "no_licensed_agency": ("Tanpa agen resmi", "Kerja ke luar negeri 'tanpa agen, tanpa BP2MI, tanpa pelatihan': "
                           "jalur non-prosedural."),
    "overseas_without_official_channel": ("Luar negeri tanpa jalur resmi", "Kerja ke luar negeri tanpa menyebut "
                                          "P3MI berizin, job order, visa kerja atau program pemerintah."),
    "licence_claim": ("Klaim izin resmi", "Iklan menyebut jalur resmi (P3MI, SIP2MI, BP2MI, visa kerja). Periksa "
                      "kebenarannya: sinyal ini menurunkan risiko bila benar."),
    "selection_process": ("Proses seleksi", "Ada proses seleksi nyata: CV lewat e-mail, tes, wawancara di alamat "
                          "jelas. Sinyal iklan wajar."),
    "urgency": ("Desakan waktu", "Tekanan untuk segera memutuskan ('kuota terbatas', 'berangkat minggu ini')."),
    "online_scam_job": ("Jabatan kompleks penipuan", "Admin/CS/marketing online, operator ketik, kripto: jabatan "
                        "yang dipakai untuk merekrut ke kompleks penipuan."),
    "domestic_work": ("Pekerja rumah tangga", "Kerja ART/PRT, pengasuh, perawat lansia, sopir pribadi."),
    "ship_crew": ("Awak kapal", "Kerja ABK kapal ikan/niaga, sektor dengan kerja paksa di laut yang terdokumentasi."),
    "debt_deduction": ("Potong gaji / utang", "Biaya dipinjamkan lalu dipotong dari gaji, denda atau penalti: "
                       "awal jeratan utang."),
    "named_employer": ("Menyebut perusahaan besar", "Iklan menyebut perusahaan besar atau BUMN; periksa apakah "
                       "kontaknya milik perusahaan itu."),
    "impersonation": ("Catut nama perusahaan", "Perusahaan besar disebut, tetapi kontaknya e-mail gratis, "
                      "shortlink atau domain tiruan: pola rekrutmen palsu yang paling umum."),
    "licence_claim_with_visit_visa": ("Izin resmi + visa turis", "Mengaku P3MI/BP2MI tetapi memakai visa turis: "
                                      "kata-kata legal, jalur ilegal."),
    "placement_without_agreement": ("Negara tanpa perjanjian penempatan", "Kerja di Kamboja/Myanmar/Laos "
                                    "disebut legal, padahal tidak ada perjanjian penempatan PMI."),
    "scam_compound_pattern": ("Pola kompleks penipuan", "Admin/CS online di luar negeri dengan tiket gratis atau "
                              "tanpa keahlian: umpan kompleks penipuan."),
    "domestic_work_middle_east": ("PRT ke Timur Tengah", "Kerja rumah tangga di negara Timur Tengah yang "
                                  "ditutup untuk penempatan PRT sejak 2015 (Kepmenaker 260/2015)."),
    "entertainment_young_women": ("Hiburan malam + wanita muda", "Kerja tempat hiburan untuk wanita muda atau "
                                  "anak: profil eksploitasi LC/open BO."),
    "bride_abroad": ("Pengantin pesanan", "Pernikahan dengan pria asing (sering Tiongkok/Taiwan): modus "
                     "perdagangan pengantin."),
    "debt_with_travel": ("Utang biaya berangkat", "Biaya perjalanan/penempatan ditalangi lalu ditagih dari gaji "
                         "di luar negeri."),
    # Names of the transparent rule scorer (rules-0), used until a trained model is active.
    "tourist_visa": ("Visa turis/kunjungan", "Berangkat kerja dengan visa turis atau paspor 'diurus': jalur "
                     "non-prosedural."),
    "no_skill_needed": ("Tanpa syarat keahlian", "Tidak perlu pengalaman atau ijazah untuk kerja bergaji tinggi."),
    "free_ticket": ("Tiket ditanggung", "Tiket dibayari sebelum ada kontrak: umpan agar calon korban berpindah."),
    "entertainment_lc": ("LC / pemandu lagu", "Kerja LC, hostess atau 'open BO': jalur eksploitasi seksual."),
}
CATEGORY_LABELS: dict[str, str] = {
    "upfront_fee": "Biaya di muka", "unrealistic_pay": "Gaji tidak wajar", "visa_passport": "Visa/paspor",
    "high_risk_destination": "Tujuan berisiko", "age_gender_restriction": "Syarat usia/gender",
    "entertainment": "Hiburan malam", "debt_bondage": "Jeratan utang", "document_retention": "Dokumen ditahan",
    "impersonation": "Catut perusahaan", "task_scam": "Penipuan tugas", "marriage_offer": "Tawaran nikah",
}
SIGNAL_NAMES = frozenset({"licence_claim", "selection_process", "named_employer", "domestic_work"})
DECISION_LABELS: dict[str, str] = {
    "trafficking": "TPPO", "scam": "Penipuan", "benign": "Wajar", "need_info": "Perlu info", "reopened": "Dibuka lagi",
}
STATUS_LABELS: dict[str, str] = {
    "open": "Terbuka", "need_info": "Perlu info", "decided": "Diputuskan", "reopened": "Dibuka lagi",
    "new": "Baru", "received": "Diterima", "in_progress": "Diproses", "closed": "Ditutup",
}
SOURCE_LABELS: dict[str, str] = {"telegram": "Telegram", "whatsapp": "WhatsApp", "facebook": "Facebook",
                                 "olx": "OLX", "manual": "Manual", "instagram": "Instagram"}


def label(name: str, category: str | None = None) -> str:
    if name in EXPLANATIONS:
        return EXPLANATIONS[name][0]
    if category and category in CATEGORY_LABELS:
        return CATEGORY_LABELS[category]
    return name.replace("_", " ")


def why(name: str, category: str | None = None) -> str:
    if name in EXPLANATIONS:
        return EXPLANATIONS[name][1]
    return f"Indikator '{label(name, category)}' menyala pada kata-kata yang disorot."


def is_signal(name: str) -> bool:
    """Indicators that argue *for* an ad are shown apart (green), not as red flags."""
    return name in SIGNAL_NAMES


@dataclass(frozen=True)
class Segment:
    """A run of ad text; `names` are the indicators covering it (empty: plain text)."""

    text: str
    names: tuple[str, ...] = ()

    @property
    def signal_only(self) -> bool:
        return bool(self.names) and all(is_signal(n) for n in self.names)


def highlight(text: str, hits: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Cut `text` at every span boundary so overlapping indicators each keep their words marked.

    Spans come from the scorer as offsets into title + newline + text; hits whose span does not fit
    the text (or whose words no longer match, after an edit) are skipped rather than mis-marked.
    """
    spans: list[tuple[int, int, str]] = []
    for hit in hits:
        start, end, name = hit.get("start"), hit.get("end"), hit.get("name")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(name, str)):
            continue
        if 0 <= start < end <= len(text) and (not hit.get("text") or text[start:end] == hit.get("text")):
            spans.append((start, end, name))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        names = tuple(sorted({n for s, e, n in spans if s <= left and right <= e}))
        segments.append(Segment(text[left:right], names))
    return segments


def unique_hits(hits: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per indicator (red flags first), with every phrase that fired it."""
    by_name: dict[str, dict[str, Any]] = {}
    for hit in hits:
        name = str(hit.get("name", ""))
        if not name:
            continue
        row = by_name.setdefault(name, {"name": name, "category": hit.get("category"), "phrases": [],
                                        "label": label(name, hit.get("category")),
                                        "why": why(name, hit.get("category")), "signal": is_signal(name)})
        phrase = str(hit.get("text", "")).strip()
        if phrase and phrase not in row["phrases"]:
            row["phrases"].append(phrase)
    return sorted(by_name.values(), key=lambda r: (r["signal"], r["label"]))
