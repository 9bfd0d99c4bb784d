"""The deciding facts of an ad, typed: visa, passport, cost, channel, contract, wages, age, destination ...

Counting red-flag words cannot tell a lawful overseas placement full of feared words from an illegal one
dressed in legal words: the two differ by one fact ("visa kerja" vs "visa turis", "paspor dipegang
sendiri" vs "dipegang agen", "tanpa biaya" vs "biaya 1,5 jt"). This module finds those facts as typed
values, each with its span in the original text, its polarity (a warning or denial in front of it turns
"visa turis" into "not a visa turis"), and its legal effect. Training, scoring, the desk's legal
checklist and the explanations all read the same facts.

Every pattern runs on the normalised text (`model.normalise`: lowercase, evasions undone, slang folded),
so `pspor`, `p4spor` and `passport` are all `paspor` here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from model.entities import Entities
from model.indicators.derived import official_employer_contact
from model.normalise import NormalisedText
from model.records import IndicatorHit

ILLEGAL = "illegal"  # by itself makes the recruitment non-procedural, exploitative or a fraud
LAWFUL = "lawful"  # a requirement of lawful recruitment, stated
CONTEXT = "context"  # neither: what kind of job, where; it matters only in combination

# Words that, shortly before a fact in the same clause, deny or warn against it ("bukan visa turis",
# "jangan mau paspor ditahan", "waspada lowongan ke Kamboja").
_NEGATORS = ("bukan", "tidak", "tanpa", "jangan", "dilarang", "waspada", "hati-hati", "hati hati", "hindari",
             "tak", "no", "anti", "menolak", "tolak", "awas", "never")
_NEGATION_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in _NEGATORS) + r")\b[^.,;:!?\n]{0,60}$")
@dataclass(frozen=True)
class Fact:
    """One deciding fact: `kind` (visa, passport, ...), its `value`, and the words that state it.

    `effect` is what the fact means for the ad (illegal / lawful / context); a fact the ad denies or
    warns against has `negated=True` and counts for nothing as illegal ("bukan visa turis").
    """

    kind: str
    value: str
    effect: str
    text: str
    start: int
    end: int
    negated: bool = False
    # Where the fact's words sit in the normalised text (-1: found from a hit or entity, not a pattern);
    # the text model can be made blind to them (`model.features.MatchedText(mask=...)`).
    norm_start: int = field(default=-1, compare=False, repr=False)
    norm_end: int = field(default=-1, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def counts_as(self) -> str:
        """The effect the fact has as written: a denied illegal fact is no longer illegal."""
        return CONTEXT if self.negated else self.effect


@dataclass(frozen=True)
class FactPattern:
    kind: str
    value: str
    effect: str
    regex: str
    negatable: bool = True  # a warning or denial just before it flips its polarity


# Patterns are written in the normaliser's spellings: `work` is `kerja`, `setiap`/`per` are `tiap`,
# `potongan`/`dipotong` are `potong`, `training` is `pelatihan`, `free` is `gratis`, `fee` is `biaya`.
_W = r"(?:[^\s.,;!?]+[ \t]+)"  # one word of free text inside a clause (never across a line)
_HOLDER_OTHER = (r"(?:agen|agency|bos|boss|majikan|kantor|sponsor|perusahaan|pt|towkay|tekong|calo|penyalur|mandor"
                 r"|koordinator|tauke|tokeh|juragan|employer|company|manajemen|mami|papi|pihak agen|pihak pt)")
_HOLDER_SELF = (r"(?:sendiri|sorangan|dewe|dewek|dhewe|pekerja|pmi|masing(?:-| )masing|masing2|tki|tkw|worker|"
                r"yang bersangkutan|"
                r"pemiliknya|kamu sendiri|anda sendiri|abk sendiri|awak kapal sendiri)")
_PASSPORT = r"(?:paspor|dokumen|buku pelaut|seaman book|ktp|ijazah)"
_HELD = (r"(?:dipegang|pegang|disimpan|simpan|ditahan|tahan|dititip(?:kan)?|titip|diserahkan|dikuasai|"
         r"dibawa|bawa)")
_VISIT = r"(?:turis|wisata|kunjungan|pelancong|melancong|lawatan|ziarah|umroh|umrah|liburan|visit|tourist|pelajar)"
_ACCOUNT = r"(?:rek|rekening|no rek|norek|bri|bca|bni|mandiri|dana|ovo|gopay|shopeepay|e-?wallet|a/n|a\.n\.?)"
_MONEY = (r"(?:rp\.?\s?\d[\d.,]*(?:\s?(?:ribu|juta|k|rb)\b)?|\d[\d.,]*\s?(?:ribu|juta|k|rb)\b"
          r"|\d{1,3}(?:[.,]\d{3})+)")  # an amount of money, not any number

PATTERNS: tuple[FactPattern, ...] = (
    # --- visa ------------------------------------------------------------------------------------
    FactPattern("visa", "visit", ILLEGAL,
                rf"(?:visa|paspor|pakai|masuk|berangkat|sebagai|status|jadi)\s+(?:visa\s+)?(?:sebagai\s+)?{_VISIT}\b"
                rf"|visa on arrival|\bvoa\b|bebas visa|gratis visa|visa\s+{_W}{{0,1}}(?:30|15|14)\s+hari"
                r"|(?:bilang|ngaku|mengaku|alasan|pura(?:-| )pura)\s+" + _W + r"{0,2}(?:liburan|jalan(?:-| )jalan"
                r"|wisata|turis|holiday|berlibur|umroh|umrah)"),
    FactPattern("visa", "work", LAWFUL,
                r"visa kerja|kerja visa|calling visa|visa c1/?d?\b|visa e-?9|visa ssw|visa tokutei|visa e-?7"
                r"|(?:visa|kerja permit|permit kerja|izin kerja)\s+" + _W + r"{0,4}(?:keluar|terbit|diproses|diurus"
                r"|selesai|jadi|dibuat)\s+" + _W + r"{0,2}(?:sebelum|di indonesia)", negatable=False),
    FactPattern("visa", "converted_there", ILLEGAL,
                r"(?:visa|kerja permit|permit|izin kerja|status|ijin kerja)\s+" + _W + r"{0,3}(?:diurus|dibuat|diganti"
                r"|ganti|di-?convert|convert|dikonversi|diubah|diproses|dibikin|urus)\s+" + _W + r"{0,3}(?:di sana|"
                r"disana|di lokasi|setelah sampai|setibanya|sesampai)|(?:nanti|sampai)\s+(?:di\s+)?sana\s+" + _W +
                r"{0,4}(?:urus|diurus)\s+(?:kerja|visa|permit|izin)", negatable=False),
    # --- passport and documents ------------------------------------------------------------------
    FactPattern("passport", "held_by_worker", LAWFUL,
                rf"{_PASSPORT}\s+(?:{_W}){{0,3}}{_HELD}\s+(?:oleh\s+)?{_HOLDER_SELF}"
                rf"|{_PASSPORT}\s+(?:tidak|bukan)\s+(?:{_W})?(?:ditahan|disimpan|dipegang)"
                rf"|{_HOLDER_SELF}\s+(?:yang\s+)?(?:pegang|memegang|menyimpan)\s+(?:{_W})?{_PASSPORT}",
                negatable=False),
    FactPattern("passport", "held_by_other", ILLEGAL,
                rf"{_PASSPORT}\s+(?:{_W}){{0,4}}{_HELD}\s+(?:{_W}){{0,1}}(?:oleh\s+|di\s+|ke\s+|sama\s+)?"
                rf"{_HOLDER_OTHER}|{_PASSPORT}\s+(?:{_W}){{0,2}}(?:ditahan|disita)\b"
                rf"|{_HOLDER_OTHER}\s+(?:yang\s+)?(?:pegang|memegang|simpan|menyimpan|tahan|menahan)\s+"
                rf"(?:{_W})?{_PASSPORT}|{_PASSPORT}\s+{_HOLDER_OTHER}\s+(?:simpan|pegang|tahan)"),
    FactPattern("passport", "arranged_there", ILLEGAL,
                r"paspor\s+" + _W + r"{0,3}(?:diurus|dibuat|dibikin|menyusul|nyusul)\s+" + _W + r"{0,3}(?:di sana|"
                r"disana|nanti|belakangan|setelah sampai)|(?:tidak|belum)\s+" + _W + r"{0,1}(?:punya|ada|perlu|usah)"
                r"\s+paspor\s+" + _W + r"{0,2}(?:boleh|bisa|tidak apa|ok|aman)|tidak perlu paspor|tanpa paspor"
                r"|kerja dulu\s+" + _W + r"{0,2}(?:baru\s+)?urus", negatable=False),
    # --- cost to the worker -----------------------------------------------------------------------
    FactPattern("cost", "none_for_worker", LAWFUL,
                r"(?:tanpa|tidak ada|tidak dipungut|bebas|gratis|nol|zero)\s+" + _W + r"{0,1}(?:biaya|pungutan|"
                r"potong|bayar|cost|charge|deposit)|biaya\s+" + _W + r"{0,2}(?:nol|rp 0|gratis|ditanggung "
                r"(?:majikan|pengguna|perusahaan|pemberi kerja|employer|user|pemerintah|negara|program|pt))"
                r"|(?:tidak|tak)\s+" + _W + r"{0,2}(?:dipungut|memungut|menarik|meminta|minta|bayar)\s+" + _W +
                r"{0,1}(?:biaya|uang|bayaran|apa)|zero cost|gratis biaya", negatable=False),
    FactPattern("cost", "wage_deduction", ILLEGAL,
                r"(?:potong|dicicil|cicil|nyicil|diganti|bayar|dibayar|lunas)\s+" + _W + r"{0,2}(?:dari\s+|pakai\s+"
                r"|lewat\s+)?gaji|gaji\s+" + _W + r"{0,2}potong|ditalangi|talangan|kasbon|(?:hutang|utang)\s+" + _W
                + r"{0,3}(?:dibayar|bayar|potong|cicil|dicicil|lunas|gaji|dulu)"
                r"|(?:bayar|lunas|lunasi|cicil)\s+(?:hutang|utang)|jadi (?:hutang|utang)"
                r"|bayar\s+" + _W + r"{0,2}setelah\s+" + _W + r"{0,1}kerja|ganti rugi|denda\s+" + _W +
                r"{0,3}(?:keluar|kabur|pulang|putus)|potong (?:agen|sponsor|pt)"),
    FactPattern("cost", "paid_by_applicant", ILLEGAL,
                r"\b(?:biaya|bayar|ongkos|iuran|membayar)[ \t]+" + _W + r"{0,2}(?:pendaftaran|administrasi|admin|"
                r"seragam|pelatihan|medical|mcu|medikal|jaminan|proses|pemberkasan|pengurusan|id card|kartu|"
                r"sertifikat|aktivasi|keanggotaan|member|psikotes|akomodasi|penginapan|hotel|verifikasi|berkas|"
                r"asuransi kerja|pelicin|paket|tes kesehatan|cek kesehatan|operasional|sponsor|fasilitasi|booking)"
                r"|uang (?:pendaftaran|administrasi|admin|seragam|jaminan|pelicin|muka|pangkal|proses|pengurusan|"
                r"medical|tes|psikotes|komitmen|keseriusan)"
                rf"|\b(?:transfer|kirim|setor|bayar|dp|membayar|menyetor)[ \t]+(?:{_W}){{0,3}}{_MONEY}[ \t]+"
                rf"(?:{_W}){{0,3}}(?:ke|via|lewat|melalui)[ \t]+(?:{_W}){{0,1}}{_ACCOUNT}"
                r"|\b(?:transfer|kirim|setor|bayar|dp)[ \t]+" + _W + r"{0,4}(?:ke[ \t]+)?(?:rek|rekening)[ \t]+"
                r"(?:pribadi|a/n|a\.n|atas nama)"
                r"|(?:wajib|harus|perlu|diminta)[ \t]+" + _W + r"{0,3}(?:bayar|membayar|transfer|booking|menyetor)"
                r"|bukti transfer|transfer (?:dulu|terlebih dahulu)|bayar (?:dulu|di muka|duluan)"
                rf"|(?:seragam|id card|medical|mcu|psikotes|pelatihan|pendaftaran|sertifikat|photoshoot|portofolio|"
                rf"starter kit|make up kit|kostum|pembuatan sim|surat panggilan|aktivasi akun)[ \t]+(?:{_W}){{0,4}}"
                rf"{_MONEY}|\b(?:bayar|transfer|dp|titip|setor)[ \t]+(?:{_W}){{0,3}}{_MONEY}[ \t]+(?:{_W}){{0,2}}"
                r"(?:ke|untuk)[ \t]+(?:admin|koordinator|panitia|staf|kantor|sponsor|agen|beta|saya|kami)"
                rf"|{_MONEY}[ \t]+(?:{_W}){{0,2}}(?:transfer|tf)[ \t]+ke"
                r"|ke[ \t]+(?:no[ \t]+)?(?:dana|ovo|gopay)[ \t]+\d"
                r"|\bbeli[ \t]+(?:paket|starter kit|seragam|kit)"
                rf"|\bbayar[ \t]+{_MONEY}[ \t]+ke\b"
                rf"|\b(?:biaya|uang)[ \t]+{_MONEY}[^.\n]{{0,60}}(?:dibayar|bayar|transfer)[ \t]+"
                r"(?:dulu[ \t]+)?sebelum[ \t]+(?:tes|test|kerja|interview|wawancara|masuk|mulai|berangkat)"
                r"|(?:biaya|uang)[ \t]+" + _W + r"{0,2}(?:ditanggung|dibayar)[ \t]+(?:oleh[ \t]+)?(?:pelamar|"
                r"peserta|calon|kandidat|sendiri)"
                rf"|\b(?:biaya|uang)[ \t]+{_MONEY}[ \t]*\(?[ \t]*(?:untuk[ \t]+)?(?:pendaftaran|administrasi|admin|"
                r"seragam|pelatihan|medical|jaminan|proses|pengurusan|berkas|id card)"),
    # --- recruitment channel ----------------------------------------------------------------------
    FactPattern("channel", "licensed_agency", LAWFUL,
                r"\bp3mi\b|sip3mi|siuppak|\bsiup\s?pak\b|manning agency|bp2mi|bp3mi|kp2mi|kemenp2mi|\bltsa\b|"
                r"disnaker|dinas tenaga kerja|disnakertrans|g to g|\bg2g\b|eps(?:-| )?topik|\beps\b|im japan|\bssw\b"
                r"|tokutei|triple win|siskop2mi|\bsisko\b|siapkerja|pptkis|bbpvp|kemnaker"),
    FactPattern("channel", "job_order", LAWFUL,
                r"job ?order|\bsip2mi\b|demand letter|\bjo\b\s+(?:resmi|dari|sudah)|surat permintaan"),
    FactPattern("channel", "informal", ILLEGAL,
                r"tanpa (?:lewat\s+)?(?:pt|agen|agency|p3mi|bp2mi|disnaker|job order)|jalur (?:mandiri|belakang|"
                r"tikus|gelap|samping)|jalan (?:tikus|belakang)|non ?prosedural|tidak (?:perlu|usah|lewat)\s+"
                r"(?:lewat\s+)?(?:pt|bp2mi|disnaker|p3mi|agen resmi|job order)|job order\s+" + _W +
                r"{0,1}tidak (?:perlu|usah|ada)|langsung ke majikan|pelabuhan tikus|lewat hutan|(?:lewat|melalui|via|"
                r"ikut)\s+(?:sponsor|calo|tekong)|bukan (?:lewat\s+)?pt\b"),
    FactPattern("channel", "broker_mentioned", CONTEXT, r"\bcalo\b|\btekong\b|\bsponsor\b"),
    # --- contract ------------------------------------------------------------------------------
    FactPattern("contract", "before_departure", LAWFUL,
                r"(?:kontrak|perjanjian kerja|perjanjian kerja laut|\bpk\b|\bpkl\b|perjanjian penempatan|\bslc\b)"
                r"\s+" + _W + r"{0,4}(?:ditandatangani|ditanda tangani|diteken|teken|tanda tangan|ttd|disahkan|"
                r"dibaca|diurus)\s+" + _W + r"{0,3}(?:sebelum|di indonesia|di disnaker|di kantor disnaker|"
                r"di syahbandar|di bp2mi|di bp3mi|di ltsa)|(?:kontrak|perjanjian kerja|\bpk\b|\bpkl\b)\s+" + _W +
                r"{0,1}(?:di|lewat)\s+(?:disnaker|bp2mi|bp3mi|ltsa|syahbandar)|tanda tangan (?:pk|kontrak)",
                negatable=False),
    FactPattern("contract", "after_arrival", ILLEGAL,
                r"(?:kontrak|perjanjian)\s+" + _W + r"{0,3}(?:diurus|dibuat|ditandatangani|diteken|tanda tangan)\s+"
                + _W + r"{0,2}(?:di sana|disana|setelah sampai|di lokasi|di kantor sana)|tanpa kontrak"
                r"|tidak (?:ada|pakai) kontrak", negatable=False),
    # --- preparation the law requires --------------------------------------------------------------
    FactPattern("preparation", "predeparture_training", LAWFUL,
                r"\bopp\b|\bpap\b|orientasi pra|pra-? ?(?:keberangkatan|pemberangkatan|berangkat)|\bblk\b|blk-?ln"),
    FactPattern("preparation", "social_security", LAWFUL,
                r"bpjs ketenagakerjaan|bpjs tk|bpjs naker|asuransi pmi|jaminan sosial pmi"),
    FactPattern("preparation", "no_procedure", ILLEGAL,
                r"tanpa (?:pelatihan|medical|medikal|tes kesehatan|opp|proses ribet|ribet|ktp|kk)"
                r"|tidak perlu (?:pelatihan|medical|opp|ribet|ktp)|proses kilat|tidak usah ribet", negatable=False),
    # --- seafarer papers -------------------------------------------------------------------------
    FactPattern("seafarer_papers", "required", LAWFUL,
                r"(?:wajib|harus|memiliki|punya|syarat)\s+" + _W + r"{0,3}(?:bst|basic safety|buku pelaut|"
                r"seaman book|coc|cop)|(?:bst|buku pelaut)\s+" + _W + r"{0,3}(?:wajib|berlaku|aktif)",
                negatable=False),
    FactPattern("seafarer_papers", "not_needed", ILLEGAL,
                r"(?:tanpa|tidak (?:perlu|usah|wajib|harus)|belum punya|tidak punya|no)\s+" + _W + r"{0,1}"
                r"(?:bst|basic safety|buku pelaut|sertifikat bst|sekolah pelayaran)|(?:bst|buku pelaut)\s+" + _W +
                r"{0,2}(?:tidak perlu|tidak apa|menyusul|dibuatkan|dibuatin|dibikinkan|dibikin|diuruskan|kami urus|"
                r"dibantu agen|nanti|agen yang urus)", negatable=False),
    # --- wages -----------------------------------------------------------------------------------
    FactPattern("wages", "withheld", ILLEGAL,
                r"gaji\s+" + _W + r"{0,4}(?:dibayar|diterima|dikirim|dicairkan|cair|diberikan|ditabung|disimpan|"
                r"ditahan|lewat|melalui|via|ke)\s+" + _W + r"{0,4}(?:akhir kontrak|habis kontrak|selesai kontrak|"
                r"kontrak selesai|pulang|finish kontrak|agen|kantor)|gaji ditahan|gaji\s+" + _W + r"{0,2}(?:agen|"
                r"kantor|bos)\s+(?:yang\s+)?(?:pegang|simpan|tahan)|(?:cair|diterima|dibayar)\s+" + _W +
                r"{0,2}(?:pas|saat|setelah|waktu)\s+" + _W + r"{0,1}(?:pulang|selesai kontrak|habis kontrak)"
                r"|gaji\s+(?:\d+\s+)?(?:bulan pertama|bln pertama)\s+" + _W + r"{0,3}(?:untuk|potong|agen)"
                r"|dibayar (?:ke|lewat|melalui) agen|diterima (?:full|penuh|utuh) (?:setelah|pas|saat)|"
                r"(?:dibayar|diterima|cair|dibayarkan)[ \t]+(?:sekaligus[ \t]+|full[ \t]+|penuh[ \t]+)?(?:di[ \t]+)?"
                r"(?:akhir|habis|selesai)[ \t]+kontrak|"
                r"(?:\d+\s+)?bulan pertama\s+" + _W + r"{0,1}potong"),
    FactPattern("wages", "monthly_to_worker", LAWFUL,
                r"gaji\s+" + _W + r"{0,3}(?:ditransfer|dibayar|transfer|dikirim|masuk)\s+" + _W + r"{0,4}"
                r"(?:rekening (?:sendiri|pribadi|pekerja|masing)|rek (?:sendiri|pribadi|masing)|tiap bulan|"
                r"tiap tanggal)", negatable=False),
    FactPattern("movement", "restricted", ILLEGAL,
                r"(?:tidak boleh|dilarang|tak boleh|gak boleh)[ \t]+(?:keluar|pulang|pergi)[ \t]+(?:dari[ \t]+)?"
                r"(?:mess|asrama|rumah|lokasi|kamp|camp)|keluar[ \t]+(?:mess|asrama)[ \t]+(?:harus|wajib)[ \t]+"
                r"(?:izin|dikawal|ditemani)|(?:hp|handphone|ponsel)[ \t]+(?:dititip|dititipkan|dipegang|disimpan|"
                r"ditahan|dikumpulkan)[ \t]+(?:ke[ \t]+|oleh[ \t]+)?(?:mami|bos|boss|agen|mandor|kantor|majikan)"
                r"|tidak boleh pulang sebelum|dikawal[ \t]+(?:kalau|jika|saat)[ \t]+keluar"),
    # --- movement --------------------------------------------------------------------------------
    FactPattern("route", "irregular", ILLEGAL,
                r"jalan tikus|jalur (?:tikus|kampung|hutan)|pelabuhan tikus|lewat (?:hutan|jalan belakang|belakang)"
                r"|(?:nyebrang|menyeberang)\s+" + _W + r"{0,2}(?:speedboat|speed boat|speed\b|pompong|kapal kecil"
                r"|perahu|malam|ikut tekong)|"
                r"tanpa cap|tidak (?:lewat|melalui) imigrasi|hindari imigrasi"),
    # --- exploitation and fraud -------------------------------------------------------------------
    FactPattern("sex_work", "asserted", ILLEGAL,
                r"\blc\b|ladies companion|pemandu lagu|(?:di-?)booking\s+tamu|"
                r"(?:temani|menemani|nemenin|nemani|temenin|nemeni)\s+"
                r"(?:tamu|duduk|minum|om)|open ?bo\b|booking out|(?:bisa|wani)\s+(?:di)?booking|dibooking|"
                r"booking keluar|bisa bo\b|\bbo\b|terapis plus|pijat plus|spa plus|plus plus|short time|long time|"
                r"\bst ?/ ?lt\b|target minum|teman minum|partner minum|\bpurel\b|\bescort\b|(?:layani|melayani)\s+"
                r"tamu\s+" + _W + r"{0,2}(?:kamar|keluar|hotel)|(?:dibawa|diajak|dibawa)\s+keluar\s+(?:tamu|oleh)"
                r"|(?:pijat|pjt|terapis|spa|massage)\s*(?:\+\+|\+\s*plus|plus\b)|['\"](?:plus|open|servis)['\"]"
                r"|\bopen\s+" + _W + r"{0,2}(?:sama|dengan|ke)\s+tamu|overnight|open minded"),
    FactPattern("age", "minor", ILLEGAL,
                r"(?:usia|umur)\s+(?:1[2-6])\b|\b1[4-6]\s?(?:tahun|th)\s+" + _W + r"{0,2}(?:bisa|boleh|ok)"
                r"|belum (?:punya|ada) ktp|tanpa ktp (?:boleh|bisa|tidak apa)|masih sekolah|anak (?:smp|sma|smk)"
                r"|di ?bawah umur|\babg\b|(?:umur|usia)\s+" + _W + r"{0,3}(?:bisa diatur|diatur|dituakan|dipalsu|"
                r"dinaikkan|diurus|dibuat)"),
    FactPattern("marriage", "brokered_abroad", ILLEGAL,
                r"(?:nikah|dinikahkan|jodoh|pengantin|calon istri|cari istri|calon suami|suami|istri)"
                r"\s+" + _W + r"{0,5}(?:china|taiwan|korea|hong kong|pria asing|warga asing|orang asing)"
                r"|(?:mahar|uang terima kasih|uang lamaran|mas kawin|uang adat)\s+" + _W + r"{0,4}(?:keluarga|"
                r"orang tua|ortu)|keluarga\s+" + _W + r"{0,2}(?:dapat|terima|menerima)\s+" + _W + r"{0,2}(?:uang|"
                r"bantuan|mahar)|nikah kontrak|pengantin pesanan|(?:dikenalkan|kenalkan|ngenalkan|dijodohkan)\s+"
                + _W + r"{0,3}(?:taiwan|china|tiongkok)|(?:keluarga|keluarge|orang tua|orang tue|ortu)\s+" + _W +
                r"{0,2}(?:dapat|oleh|terima)\s+" + _W + r"{0,2}(?:uang|duit|\d)|golek bojo|cari bojo"),
    FactPattern("money", "otp_or_topup", ILLEGAL,
                r"\botp\b|kode verifikasi|kode aktivasi|kode \d (?:digit|angka)|kode (?:yang\s+)?masuk|top ?up|"
                r"isi saldo|deposit|saldo awal|recharge|upgrade\s+" + _W + r"{0,2}(?:level|akun|rp|\d)|aktivasi level|"
                r"naik level\s+" + _W + r"{0,2}(?:harus|wajib|bayar)|modal (?:awal|pembelian|\d)|"
                r"(?:pin|password)\s+(?:atm|bank|m-?banking)"),
    FactPattern("task", "commission", ILLEGAL,
                r"(?:komisi|bayaran|cuan|dibayar|upah|dapat)\s+" + _W + r"{0,3}tiap\s+(?:tugas|task|like|follow|"
                r"review|rating|misi|order|produk|film|video|aplikasi)|like (?:dan|&) subscribe|tugas (?:harian|"
                r"premium|vip|merchant)|misi harian|(?:like|follow|subscribe|rating|review|ulasan)\s+" + _W +
                r"{0,4}(?:dapat|dibayar|komisi|cuan)|\d+\s?(?:ribu|k)\s?/\s?(?:film|produk|aplikasi|video|tugas|like)"
                r"|level (?:gold|silver|vip|platinum|bronze)|1 (?:film|produk|video|aplikasi|review)\s*=|"
                r"(?:like|follow)\s*(?:&|dan)\s*(?:follow|subscribe|like|share)|(?:beli|order)\s+produk\s+"
                + _W + r"{0,2}(?:pakai|dengan)\s+saldo|tarik saldo|aktivasi saldo|komisi\s+\d+\s?%"),
    # --- the job, and what lawful advertisers add ---------------------------------------------------
    FactPattern("job", "household", CONTEXT,
                r"\b(?:art|prt|plrt|pembantu|asisten rumah tangga|pekerja rumah tangga|penata laksana rumah tangga|"
                r"babysitter|baby sitter|nanny|pengasuh|perawat lansia|caregiver|sopir pribadi|supir pribadi|"
                r"driver pribadi|driver keluarga|sopir keluarga|housekeeper rumah|housemaid|maid|rumah pribadi|"
                r"rumah majikan|keluarga majikan|majikan perorangan|domestic worker|rumah tangga|jaga (?:\d+ )?anak|"
                r"jaga (?:lansia|nenek|kakek|orang tua)|tinggal (?:di|dengan|bersama) (?:keluarga|majikan))\b"),
    FactPattern("job", "institution", CONTEXT,
                r"\b(?:panti|institusi|rumah sakit|hospital|hotel|nursing home|perusahaan|pabrik|restoran|"
                r"sektor formal)\b", negatable=False),
    FactPattern("warning", "scam_warning", LAWFUL,
                r"waspada|hati(?:-| )hati (?:penipuan|calo|oknum)|(?:kami|perusahaan|pt)\s+" + _W +
                r"{0,2}(?:tidak|tak) (?:pernah\s+)?(?:memungut|meminta|menarik|minta)|jangan (?:percaya|mau|tergiur)"
                r"\s+" + _W + r"{0,3}(?:calo|oknum|tawaran|biaya|transfer)|segala bentuk pungutan", negatable=False),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[FactPattern, re.Pattern[str]], ...]:
    return tuple((pattern, re.compile(pattern.regex)) for pattern in PATTERNS)


# A sentence that reports a scam to warn against it: the facts in it are the scammer's, not the ad's.
_WARNING_SENTENCE = re.compile(
    r"\b(?:tipu|penipu|penipuan|bukan (?:dari )?kami|laporkan|(?:kalau|jika|bila) ada (?:yang|oknum|pihak)|"
    r"pihak (?:yang|lain)|oknum|waspada|hati(?:-| )hati|jangan (?:percaya|mau|tergiur)|modus)\b")


def _negated(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if _NEGATION_BEFORE.search(text[max(line_start, start - 80):start]):
        return True
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, end) for mark in ".!?\n") if i >= 0]
    return bool(_WARNING_SENTENCE.search(text[sentence_start:min(ends, default=len(text))]))


# Pattern facts an indicator hit may give when the fact patterns missed its wording.
_FROM_HITS: dict[str, tuple[str, str, str]] = {
    "visit_visa": ("visa", "visit", ILLEGAL),
    "bride_abroad": ("marriage", "brokered_abroad", ILLEGAL),
    "task_scam": ("task", "commission", ILLEGAL),
    "impersonation": ("contact", "impersonates_employer", ILLEGAL),
    "high_risk_destination": ("destination", "no_placement_agreement", ILLEGAL),
    "online_scam_job": ("job", "online_admin", CONTEXT),
    "ship_crew": ("job", "ship_crew", CONTEXT),
    "nightlife_venue": ("job", "nightlife", CONTEXT),
    "transit_town": ("route", "transit_town", CONTEXT),
    "free_travel": ("travel", "paid_for", CONTEXT),
    "named_employer": ("employer", "big_firm_named", CONTEXT),
}


_EMPHASIS = str.maketrans("*_~", "   ")


def _overlaps(a: Fact, b: Fact) -> bool:
    return a.start < b.end and b.start < a.end


def extract_facts(norm: NormalisedText, entities: Entities, hits: Sequence[IndicatorHit]) -> tuple[Fact, ...]:
    """Every fact the ad states, from the fact patterns, the indicator hits and the entities."""
    text = norm.text.translate(_EMPHASIS)  # WhatsApp *bold* _italic_ ~strike~ marks; same length, same offsets
    facts: list[Fact] = []
    for pattern, regex in _compiled():
        for match in regex.finditer(text):
            negated = pattern.negatable and _negated(text, match.start(), match.end())
            start, end = norm.original_span(match.start(), match.end())
            facts.append(Fact(pattern.kind, pattern.value, pattern.effect, norm.original[start:end], start, end,
                              negated, match.start(), match.end()))
    for hit in hits:
        mapped = _FROM_HITS.get(hit.name)
        if mapped is None:
            continue
        kind, value, effect = mapped
        fact = Fact(kind, value, effect, hit.text, hit.start, hit.end)
        if not any(f.key == fact.key and _overlaps(f, fact) for f in facts):
            facts.append(fact)
    if entities.destinations:
        first = entities.destinations[0]
        facts.append(Fact("destination", "overseas", CONTEXT, first.text, first.start, first.end))
    closed = [d for d in entities.destinations if d.risk == "kepmenaker260"]
    if closed and any(f.key == "job:household" and not f.negated for f in facts):
        # Kepmenaker 260/2015: no placement with household (individual) employers in these countries.
        facts.append(Fact("destination", "closed_to_household_work", ILLEGAL, closed[0].text, closed[0].start,
                          closed[0].end))
    official = official_employer_contact(norm, entities, tuple(hits))
    if official is not None:
        facts.append(Fact("contact", "employer_own_domain", LAWFUL, official.text, official.start, official.end))
    for age in entities.ages:
        if age.min_age is not None and age.min_age >= 18:
            facts.append(Fact("age", "adult_only", LAWFUL, age.text, age.start, age.end))
            break
    return tuple(sorted(_drop_shadowed(facts), key=lambda f: (f.start, f.kind, f.value)))


def _drop_shadowed(facts: list[Fact]) -> list[Fact]:
    """A lawful statement about something wins over an illegal reading of its own words.

    "paspor dipegang sendiri" also contains "paspor dipegang"; "tanpa potongan gaji" contains "potongan
    gaji". Where a lawful fact of one kind covers an illegal fact of the same kind, the illegal one goes.
    """
    lawful = [f for f in facts if f.effect == LAWFUL]
    kept = []
    for fact in facts:
        if fact.effect == ILLEGAL and any(
                other.kind == fact.kind and other.start <= fact.start and fact.end <= other.end for other in lawful):
            continue
        kept.append(fact)
    return kept


def illegal_facts(facts: Sequence[Fact]) -> list[Fact]:
    return [fact for fact in facts if fact.counts_as == ILLEGAL]


def lawful_facts(facts: Sequence[Fact]) -> list[Fact]:
    return [fact for fact in facts if fact.counts_as == LAWFUL]


@dataclass(frozen=True)
class FactInfo:
    """What a fact is called on the desk (Bahasa) and the public source (`model/data/sources.csv`) behind it."""

    label: str
    source: str


# One entry per fact key. The desk, the police summary and the explanations show these words.
FACT_INFO: dict[str, FactInfo] = {
    "visa:visit": FactInfo("Berangkat dengan visa turis/kunjungan/umrah", "bp2mi_perban9_2020"),
    "visa:work": FactInfo("Visa kerja sebelum berangkat", "uu18_2017"),
    "visa:converted_there": FactInfo("Izin kerja 'diurus di sana'", "bp2mi_perban9_2020"),
    "passport:held_by_worker": FactInfo("Paspor dipegang pekerja sendiri", "ilo_indicators"),
    "passport:held_by_other": FactInfo("Paspor/dokumen dipegang agen atau majikan", "ilo_indicators"),
    "passport:arranged_there": FactInfo("Paspor tidak perlu / diurus di sana", "bp2mi_perban9_2020"),
    "cost:none_for_worker": FactInfo("Tanpa biaya bagi pekerja", "uu18_2017"),
    "cost:wage_deduction": FactInfo("Biaya dipotong dari gaji / utang", "ilo_indicators"),
    "cost:paid_by_applicant": FactInfo("Pelamar diminta membayar", "uu18_2017"),
    "channel:licensed_agency": FactInfo("Lewat P3MI berizin / program pemerintah", "uu18_2017"),
    "channel:job_order": FactInfo("Ada job order / SIP2MI", "uu18_2017"),
    "channel:informal": FactInfo("Lewat calo/sponsor, tanpa P3MI", "uu18_2017"),
    "channel:broker_mentioned": FactInfo("Menyebut calo/sponsor/tekong", "uu18_2017"),
    "contract:before_departure": FactInfo("Perjanjian kerja ditandatangani sebelum berangkat", "uu18_2017"),
    "contract:after_arrival": FactInfo("Kontrak baru di negara tujuan / tanpa kontrak", "uu18_2017"),
    "preparation:predeparture_training": FactInfo("Pelatihan/orientasi pra pemberangkatan", "uu18_2017"),
    "preparation:social_security": FactInfo("BPJS Ketenagakerjaan / jaminan sosial PMI", "uu18_2017"),
    "preparation:no_procedure": FactInfo("Tanpa pelatihan/medical/dokumen", "bp2mi_perban9_2020"),
    "seafarer_papers:required": FactInfo("Wajib BST dan buku pelaut", "bp2mi_perban9_2020"),
    "seafarer_papers:not_needed": FactInfo("ABK tanpa BST/buku pelaut", "bp2mi_perban9_2020"),
    "wages:withheld": FactInfo("Gaji ditahan / dibayar akhir kontrak lewat agen", "ilo_indicators"),
    "wages:monthly_to_worker": FactInfo("Gaji dibayar bulanan ke rekening pekerja", "ilo_indicators"),
    "route:irregular": FactInfo("Jalur tidak resmi (jalan tikus)", "polri_tppo_2023"),
    "movement:restricted": FactInfo("Tidak boleh keluar mess / HP ditahan", "ilo_indicators"),
    "route:transit_town": FactInfo("Kota transit/perbatasan", "polri_tppo_2023"),
    "sex_work:asserted": FactInfo("LC / 'open BO' / layanan plus", "polri_tppo_2023"),
    "age:minor": FactInfo("Menerima anak di bawah 18 / usia diatur", "uu21_2007"),
    "age:adult_only": FactInfo("Usia minimal 18 tahun", "uu18_2017"),
    "marriage:brokered_abroad": FactInfo("Perjodohan ke luar negeri dengan uang untuk keluarga", "polri_tppo_2023"),
    "money:otp_or_topup": FactInfo("Minta kode OTP / isi saldo / deposit", "ojk_task_scam"),
    "task:commission": FactInfo("Komisi per tugas like/rating", "ojk_task_scam"),
    "contact:impersonates_employer": FactInfo("Catut nama perusahaan besar, kontak bukan domain resminya",
                                              "kementerian_bumn"),
    "contact:employer_own_domain": FactInfo("Pendaftaran lewat situs/e-mail resmi perusahaan", "kementerian_bumn"),
    "destination:no_placement_agreement": FactInfo("Kamboja/Myanmar/Laos: tidak ada perjanjian penempatan",
                                                   "kemlu_kh_mm"),
    "destination:closed_to_household_work": FactInfo("PRT ke negara Timur Tengah yang ditutup", "kepmenaker_260_2015"),
    "destination:overseas": FactInfo("Kerja di luar negeri", "uu18_2017"),
    "job:household": FactInfo("Pekerjaan rumah tangga", "kepmenaker_260_2015"),
    "job:institution": FactInfo("Tempat kerja institusi/perusahaan", "kepmenaker_260_2015"),
    "job:online_admin": FactInfo("Admin/CS online", "unodc_2023"),
    "job:ship_crew": FactInfo("Awak kapal", "bp2mi_perban9_2020"),
    "job:nightlife": FactInfo("Tempat hiburan malam", "polaris_typology"),
    "travel:paid_for": FactInfo("Tiket ditanggung", "unodc_2023"),
    "employer:big_firm_named": FactInfo("Menyebut perusahaan besar/BUMN", "kementerian_bumn"),
    "warning:scam_warning": FactInfo("Peringatan anti-penipuan", "kementerian_bumn"),
}


def fact_effect(key: str) -> str:
    """The legal effect of a fact key (`visa:visit` -> illegal), for keys from patterns, hits and entities."""
    for pattern in PATTERNS:
        if f"{pattern.kind}:{pattern.value}" == key:
            return pattern.effect
    for kind, value, effect in _FROM_HITS.values():
        if f"{kind}:{value}" == key:
            return effect
    return {"destination:closed_to_household_work": ILLEGAL, "age:adult_only": LAWFUL,
            "contact:employer_own_domain": LAWFUL}.get(key, CONTEXT)
