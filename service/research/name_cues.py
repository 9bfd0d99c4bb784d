"""The words after which Indonesian job ads name a person: honorifics, kinship terms, roles and contact words.

All entries are lowercase and matched on whole words. Each group says where the address is used, so a
reader can judge a missing one. Words that are also common nouns or pronouns are listed but only count
as a cue when a word that can be a name follows (see `service.research.person_names`).
"""

from __future__ import annotations

# Terms of address and kinship written before a person's name, by where they are used.
HONORIFICS: frozenset[str] = frozenset({
    # Indonesian, everywhere (formal and everyday; abbreviations as ads write them)
    "pak", "bapak", "bpk", "bp", "bu", "ibu", "ibuk", "buk", "sdr", "sdri", "sdra", "saudara", "saudari",
    "tuan", "nyonya", "nona", "kak", "kakak", "ka", "kaka", "dek", "adek", "adik", "dik", "ade", "abang", "bang",
    "om", "oom", "tante", "opa", "oma", "kakek", "nenek", "paman", "bibi", "mama", "bapa", "bunda",
    # Javanese (Central and East Java, Surabaya)
    "mas", "mbak", "mba", "mbakyu", "mbok", "mbah", "eyang", "pakde", "pakdhe", "bude", "budhe", "paklik",
    "bulik", "cak", "ning", "yu", "gus", "kangmas", "nduk",
    # Sundanese (West Java, Banten)
    "kang", "akang", "teh", "teteh", "aa", "neng", "ceu", "euceu", "mang", "emang", "bi", "abah", "ambu",
    # Betawi (Jakarta)
    "mpok", "babe", "encang", "encing", "enyak",
    # Minangkabau (West Sumatra, Padang restaurants everywhere)
    "uda", "uni", "etek", "mak", "mamak", "angku", "uwo",
    # Batak (North Sumatra)
    "lae", "amang", "inang", "ito", "tulang", "namboru", "bou", "opung", "ompung", "oppung", "amangboru",
    "nantulang", "eda",
    # Bugis and Makassar (South Sulawesi)
    "daeng", "puang",
    # Balinese; Sasak (Lombok): amaq/inaq (father/mother of), baiq (a noblewoman's title)
    "bli", "gek", "jik", "biang", "amaq", "inaq", "baiq", "lalu",
    # Malay, Banjar, Riau, Kalimantan
    "encik", "cik", "wak", "atok", "tok", "acil", "julak", "angah", "ngah", "usu",
    # Manado, Ambon, Kupang, Papua
    "nyong", "usi", "bung", "caca", "tanta", "bapatua", "mamatua",
    # Chinese-Indonesian (Hokkien, Hakka)
    "koh", "koko", "ko", "ci", "cici", "cece", "ce", "ayi", "engkoh", "encek", "enci", "ahia", "akong",
    # Religious and professional titles
    "ustadz", "ustad", "ustaz", "ust", "ustadzah", "ustazah", "kyai", "kiai", "habib", "syekh", "haji",
    "hajjah", "hj", "pendeta", "pdt", "romo", "pastor", "suster", "bruder", "frater", "dr", "drs", "dra", "ir",
    "prof", "kapten", "capt", "kapt", "laoshi", "sensei",
    # English and chat addresses used in Indonesian ads
    "mr", "mrs", "ms", "miss", "madam", "mdm", "sir", "mister", "sis", "sista", "bro", "gan", "agan",
    "juragan", "bos", "boss", "bosku", "mami", "mamih", "mamie", "mommy", "mom", "papi", "papih", "daddy",
    "auntie", "aunty", "uncle",
})

# Not cues, though an issue listed them: "beta" is the first person pronoun in Ambon, Kupang and Manado
# ("beta pung om" = my uncle), and "ucok"/"butet" are nicknames (the name itself, after "Bang").
NOT_CUES: frozenset[str] = frozenset({"beta", "ucok", "butet"})

# Cues that are also everyday words: "teh" (tea), "dek" (a ship's deck), "mas" (gold shops: toko mas),
# "ko" (you, in eastern Indonesia), "ade" (ada, in Pontianak Malay), "ning" (in, Javanese), "ce" (cewek,
# as in "ce/co"), "mama"... ("ci" is not one: the ads write it, even in lowercase, only before a name.)
# They open a name only when written as an address: capitalised before a capitalised word, or right after
# a contact word, or right before a contact (see `person_names._Finder._written_as_address`).
AMBIGUOUS_HONORIFICS: frozenset[str] = frozenset({
    "teh", "dek", "ade", "mas", "ko", "ning", "yu", "bi", "tok", "usu", "mama", "bapa", "uni", "mom", "ka", "ce",
    "eda", "ito", "gus", "nduk", "biang", "bou", "ngah", "caca", "jik",
    "suster", "pastor", "dr", "ir", "eyang", "abah", "babe", "kapten", "capt", "uncle", "bunda",
    # "lalu" (a Sasak nobleman's title) is also "then"; "bos" is also the noun ("tiket ditanggung bos")
    "lalu", "bos", "boss", "bosku", "juragan",
})
# Abbreviated titles that are also chat abbreviations ("dr" = dari): a title only with its dot or a capital.
DOTTED_TITLES: frozenset[str] = frozenset({"dr", "ir", "capt", "kapt", "ust", "pdt", "drs", "dra", "prof"})

# A title written with a single capital letter and a dot: "H. Sulaiman" (haji).
LETTER_TITLES: frozenset[str] = frozenset({"h"})

# Words after which ads name whom to contact or pay: contact words, "a.n." (account holder), "with".
CONTACT_CUES: frozenset[str] = frozenset({
    "hubungi", "hub", "hubungin", "hubungilah", "kontak", "kontakin", "contact", "cp", "narahubung", "pic",
    "wa", "whatsapp", "whatsap", "watsap", "chat", "chatt", "cet", "telp", "tlp", "telepon", "telpon", "tel",
    "call", "sms", "dm", "inbox", "ib", "japri", "pm", "pc", "info", "tanya", "tanyakan", "tnya", "temui",
    "dengan", "dgn", "bersama", "bareng", "sama", "ama", "oleh", "kepada", "kpd", "attn", "text",
    "message", "ask", "reach",
})

# Contact words that are also everyday prose ("dengan gaji", "info karajo"): like roles, they open a name
# only before a capitalised word or one right before a contact.
PROSE_CUES: frozenset[str] = frozenset({
    "dengan", "dgn", "bersama", "bareng", "sama", "ama", "oleh", "kepada", "kpd", "info", "text", "message",
    "ask", "reach", "temui",
})

# Words of a skill requirement: "dengan" after them names a tool or a method ("familiar dengan Micromine",
# "pengalaman 5 tahun dengan Golang"), not a person to meet.
SKILL_WORDS: frozenset[str] = frozenset({
    "familiar", "pengalaman", "berpengalaman", "paham", "memahami", "menguasai", "terbiasa", "mahir", "fasih",
    "akrab", "mengoperasikan", "experience", "experienced", "proficient", "skilled", "knowledge",
})

# Contact words after which a name is all but certain: account holders and named contact persons.
# ("a.n.", "atas nama", "u.p." and "contact person" are written with dots or in several words: see
# `person_names._PHRASE_CUE`.)
STRONG_CONTACT_CUES: frozenset[str] = frozenset({"cp", "narahubung", "pic", "attn"})

# Roles written right before a name ("admin Yessy", "agent Kevin", "recruiter Jennifer").
ROLE_CUES: frozenset[str] = frozenset({
    "admin", "hrd", "hr", "recruiter", "rekruter", "agen", "agent", "sponsor", "calo", "mandor", "owner",
    "pemilik", "bendahara", "ketua", "sekretaris", "manager", "manajer", "supervisor", "spv", "koordinator",
    "korlap", "pengurus", "marketing", "staf", "staff", "majikan", "mentor", "tekong", "comblang",
})
# Roles written after a name in brackets: "Rina (admin)", "Pak Acong (mandor)". Trades are not here:
# "Kaigo (perawat lansia)" names a job, not a person.
PERSON_ROLES: frozenset[str] = ROLE_CUES | frozenset({"keuangan", "personalia", "rekrutmen", "humas", "kacab"})

# Chat particles written right after a name ("hubungin desi aja ya", "wa rudi dulu"): after a contact
# word, a lowercase word that is not an ordinary one is a name when one of these follows it.
NAME_FOLLOWERS: frozenset[str] = frozenset({
    "aja", "ajah", "saja", "ya", "yah", "yaa", "dulu", "dlu", "dong", "deh", "kak", "ka", "sis", "gan", "yg", "yang",
})

# Words a cue may be followed by before the name: "chat aja ke Devi", "langsung saja temui Bu ...".
FILLERS: frozenset[str] = frozenset({
    "aja", "saja", "ja", "langsung", "lgsg", "lsg", "lgs", "ke", "kepada", "dulu", "dlu", "ya", "yah",
    "segera", "only", "to", "our", "the", "for", "please", "pls", "via", "with", "dengan", "sama",
    "ama", "juga", "kami", "saya",
})

# Words that join names in a list: "Pak Anto, Bu Ratna dan Mas Bayu", "Rina / Budi".
LIST_JOINERS: frozenset[str] = frozenset({"dan", "atau", "and", "or", "&", "/", ",", "serta"})

# Words that are part of a name without being capitalised or a name on their own: Balinese "I"/"Ni",
# Butonese "La"/"Wa Ode", Arabic "bin"/"binti"/"al", Batak "boru" (a woman of the clan: "Boru Silalahi"),
# Dutch and Portuguese family-name particles.
NAME_PARTICLES: frozenset[str] = frozenset({"i", "ni", "la", "wa", "ode", "bin", "binti", "al", "boru", "van",
                                            "de", "der", "da", "dos"})

# Words that start a company or institution name: the capitalised words after them are the company's name
# ("PT Budi Santoso Logistik", "CV Mas Agung Mandiri"), not a person, even when an honorific is among them.
COMPANY_MARKERS: frozenset[str] = frozenset({
    "pt", "cv", "ud", "pd", "tbk", "firma", "fa", "koperasi", "kopkar", "yayasan", "lpk", "blk", "lkp", "p3mi",
    "pptkis", "sdn", "bhd", "ltd", "inc", "corp", "llc", "persero", "perum", "universitas", "sekolah", "bank",
    "travel", "tour", "tours",
})
# Streets are often named after people ("Jl. Cak Doko", "jl. parit haji husin"): the words after a street
# word are an address, capitalised or not. The abbreviations are always streets; the full words only when
# capitalised ("Jalan Sudirman", but "jalan di Sorong").
STREET_MARKERS: frozenset[str] = frozenset({"jl", "jln", "gg", "lr"})
STREET_WORDS: frozenset[str] = frozenset({"jalan", "gang", "komplek", "kompleks", "perumahan", "lorong"})
# Shops and venues are often named after their owner ("Warung Bu Siti", "RM Lesehan Mbok Darmi"): a venue
# word protects the words after it up to an unambiguous honorific ("Toko Mas Jaya" is a gold shop).
VENUE_WORDS: frozenset[str] = frozenset({
    "toko", "warung", "rm", "hotel", "restoran", "resto", "klinik", "rs", "rsud", "apotek", "bengkel", "cafe",
    "kafe", "salon", "spa", "karaoke", "kedai", "depot", "kopi", "butik", "laundry",
})
