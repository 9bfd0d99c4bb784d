"""One-line notices after a POST-redirect-GET, as fixed codes (a link cannot make the desk say anything else)."""

from __future__ import annotations

from urllib.parse import urlencode

MESSAGES: dict[str, tuple[str, str]] = {
    "diputuskan": ("ok", "Keputusan tersimpan; iklan keluar dari antrean."),
    "perlu-info": ("ok", "Ditandai perlu info; iklan tetap di antrean."),
    "diklaim": ("ok", "Iklan diklaim untuk Anda."),
    "dilepas": ("ok", "Klaim dilepas."),
    "dibuka": ("ok", "Iklan dibuka lagi dan kembali ke antrean."),
    "kosong": ("info", "Tidak ada iklan yang belum diklaim di antrean ini."),
    "diklaim-lain": ("error", "Iklan ini sedang diklaim analis lain."),
    "tidak-di-antrean": ("error", "Iklan ini tidak ada di antrean."),
    "tidak-ada": ("error", "Iklan tidak ditemukan."),
    "gagal": ("error", "Permintaan tidak dapat diproses."),
    "lead-dibuat": ("ok", "Lead dibuat dan siap dikirim ke unit."),
    "status-lead": ("ok", "Status lead diperbarui."),
}


def flash_url(path: str, code: str, **params: str) -> str:
    query = urlencode({"pesan": code, **{k: v for k, v in params.items() if v}})
    return f"{path}?{query}"


def flash_message(code: str | None) -> tuple[str, str] | None:
    return MESSAGES.get(code or "")
