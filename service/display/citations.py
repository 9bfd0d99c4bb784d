"""The public sources behind facts and legal requirements, cited the way an Indonesian reader knows them.

`model/data/sources.csv` holds each source's id, organisation and full reference (in English, for the
model's developers); the desk shows a short Bahasa citation ("UU 18/2017", "Kepmenaker 260/2015") and
the organisation. A test keeps this table and the CSV's ids the same, so a new source is named here
before any page can show it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    organisation: str
    reference: str

    @property
    def text(self) -> str:
        return f"{self.reference} ({self.organisation})"


# One entry per row of model/data/sources.csv.
CITATIONS: dict[str, Citation] = {
    "uu18_2017": Citation("Republik Indonesia", "UU 18/2017 tentang Pelindungan Pekerja Migran Indonesia"),
    "uu21_2007": Citation("Republik Indonesia", "UU 21/2007 tentang Pemberantasan TPPO"),
    "bp2mi_perban9_2020": Citation("BP2MI / KemenP2MI", "Peraturan BP2MI 9/2020"),
    "kepmenaker_260_2015": Citation("Kemnaker", "Kepmenaker 260/2015"),
    "kemlu_kh_mm": Citation("Kemlu / Kemenko PM", "Peringatan lowongan ke Kamboja dan Myanmar 2024-2025"),
    "unodc_2023": Citation("UNODC", "Laporan kasino, penipuan siber dan TPPO di Asia Tenggara 2023"),
    "ohchr_2023": Citation("OHCHR", "Laporan operasi penipuan daring dan TPPO di Asia Tenggara 2023"),
    "ilo_indicators": Citation("ILO / Komisi Eropa", "Indikator operasional perdagangan orang 2009"),
    "iom_handbook": Citation("IOM", "Buku pegangan perlindungan migran rentan 2019"),
    "polri_tppo_2023": Citation("Polri (Bareskrim / Satgas TPPO)", "Rilis kasus Satgas TPPO 2023"),
    "polaris_typology": Citation("Polaris Project", "Tipologi perbudakan modern 2017"),
    "ojk_task_scam": Citation("OJK / Satgas PASTI", "Peringatan penipuan tugas daring 2023-2024"),
    "kementerian_bumn": Citation("Kementerian BUMN", "Peringatan rekrutmen palsu atas nama BUMN"),
}
UNKNOWN = Citation("sumber publik", "Rujukan lain")


def citation(source_id: str) -> Citation:
    return CITATIONS.get(source_id, UNKNOWN)
