"""The legal checklist of an overseas ad: what it shows, lacks or contradicts, with the words and the source."""

from __future__ import annotations

from model.analysis import analyse
from model.legal_checklist import CONTRADICTED, MISSING, NOT_BROKEN, SHOWN, check_requirements
from model.records import AdText


def checklist(text: str) -> dict[str, str]:
    return {item.requirement.code: item.status for item in check_requirements(analyse([AdText("t", text)])[0].facts)}


def test_a_lawful_placement_shows_the_requirements_it_states_and_contradicts_none() -> None:
    result = checklist("PT Sinar Jaya (P3MI, SIP3MI No. 12/2021), job order dari pabrik di Taichung, Taiwan. "
                       "Visa kerja diurus sebelum berangkat, perjanjian kerja ditandatangani di Disnaker sebelum "
                       "berangkat, paspor dipegang sendiri, tanpa biaya penempatan, ikut OPP dan BPJS "
                       "Ketenagakerjaan. Usia minimal 21 tahun.")
    assert CONTRADICTED not in result.values()
    for code in ("licensed_channel", "job_order", "work_visa", "contract", "passport", "no_cost", "preparation"):
        assert result[code] == SHOWN, code


def test_an_illegal_offer_dressed_in_legal_words_contradicts_the_requirement_it_breaks() -> None:
    result = checklist("P3MI resmi, tanpa biaya! Kerja restoran di Johor, Malaysia. Berangkat pakai visa pelancong, "
                       "paspor dipegang bos selama kontrak.")
    assert result["work_visa"] == CONTRADICTED and result["passport"] == CONTRADICTED
    assert result["contract"] == MISSING


def test_household_work_in_saudi_arabia_contradicts_the_open_destination_rule() -> None:
    assert checklist("Dibutuhkan ART untuk keluarga di Jeddah, Arab Saudi, gaji 1.500 riyal.")["open_destination"] \
        == CONTRADICTED


def test_a_local_job_gets_no_checklist() -> None:
    assert checklist("Dibutuhkan kasir minimarket di Bekasi, gaji UMK, kirim CV ke hrd@toko.co.id") == {}


def test_the_seafarer_requirement_only_applies_to_ship_crew() -> None:
    assert "seafarer_papers" not in checklist("Kerja pabrik di Taiwan lewat P3MI, visa kerja.")
    assert checklist("ABK kapal ikan Taiwan, tanpa BST, gaji dibayar akhir kontrak lewat agen.")["seafarer_papers"] \
        == CONTRADICTED


def test_a_requirement_an_ad_can_only_break_is_never_called_shown() -> None:
    """Silence about the route is no proof of a regular one: the desk says "no sign of breaking it"."""
    quiet = checklist("Kerja pabrik di Johor, Malaysia, lewat P3MI resmi, visa kerja.")
    assert quiet["regular_route"] == NOT_BROKEN
    assert checklist("Kerja kebun di Sabah, berangkat lewat jalan tikus dari Nunukan.")["regular_route"] == CONTRADICTED
