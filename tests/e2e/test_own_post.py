"""The ad's own post inside its snapshot: found among the channel's other posts, or in the whole chat."""

from __future__ import annotations

from scraper.sources.telegram import parse_channel_page
from scraper.sources.whatsapp import parse_chat_export
from service.demo.setup import PAGES_DIR
from service.review.own_post import find_own_post

CHANNEL_PAGE = PAGES_DIR / "telegram_lokerbatamkepri.html"
JATIM_CHAT = PAGES_DIR / "WhatsApp Chat - Info Kerja Jatim.txt"
HTML = "text/html; charset=utf-8"
# Android format, a message over several lines, an attachment line, and a system notice between messages.
CHAT = """12/11/26 08.00 - Grup Loker: Pesan dan panggilan terenkripsi secara end-to-end.
12/11/26 09.15 - Rina: <Media tidak disertakan>
Dicari admin online Kamboja
Gaji 20jt, tiket ditanggung
WA 0812-7788-1201
12/11/26 09.20 - Budi menambahkan Sari
12/11/26 10.02 - Sari: Lowongan kasir Indomaret, kirim CV ke hrd@contoh.co.id
"""


def test_a_telegram_ad_gets_its_own_post_and_none_of_the_others_on_the_channel_page() -> None:
    body = CHANNEL_PAGE.read_bytes()
    posts = parse_channel_page(body, "https://t.me/s/lokerbatamkepri", HTML).posts
    assert len(posts) == 7
    for post in posts:
        own = find_own_post(body, HTML, "telegram", post.source_ad_id, post.text, post.author)
        assert own is not None and own.posts_on_page == 7
        assert post.text.splitlines()[0] in own.text
        others = [p.text.splitlines()[0] for p in posts if p.source_ad_id != post.source_ad_id]
        assert not [line for line in others if line in own.text], post.source_ad_id


def test_a_whatsapp_ad_gets_its_own_message_lines_from_the_export() -> None:
    result = parse_chat_export(CHAT.encode(), chat="Grup Loker")
    rina = next(p for p in result.posts if p.author == "Rina")
    own = find_own_post(CHAT.encode(), "text/plain", "whatsapp", rina.source_ad_id, rina.text, rina.author)
    assert own is not None
    assert own.text == ("12/11/26 09.15 - Rina: <Media tidak disertakan>\nDicari admin online Kamboja\n"
                        "Gaji 20jt, tiket ditanggung\nWA 0812-7788-1201")
    assert own.posts_on_page == 4

    body = JATIM_CHAT.read_bytes()
    for post in parse_chat_export(body, chat="Info Kerja Jatim").posts:
        own = find_own_post(body, "text/plain", "whatsapp", post.source_ad_id, post.text, post.author)
        assert own is not None and post.text in own.text and own.text.count("\n") == post.text.count("\n")


def test_other_sources_and_posts_no_longer_on_the_page_fall_back_to_the_whole_snapshot() -> None:
    body = CHANNEL_PAGE.read_bytes()
    assert find_own_post(body, HTML, "telegram", "lokerbatamkepri/1", "dihapus", None) is None
    assert find_own_post(body, HTML, "facebook", "123", "Dicari admin", None) is None
    assert find_own_post(CHAT.encode(), "text/plain", "whatsapp", "x", "pesan yang tidak ada", "Rina") is None
