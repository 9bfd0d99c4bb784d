"""Whether a response body arrived whole, so a page cut short is retried instead of parsed as if complete.

HTTP frames a body three ways. With Content-Length the length says it (httpx raises when fewer bytes come,
and a mismatch is checked here too); chunked bodies end with a last chunk (httpx raises without it). A
close-delimited body (neither header, the server just hangs up) has no end marker at all: a connection
dropped halfway looks exactly like a finished page. For those only the document can tell, so an HTML page
must reach its `</html>` and a JSON body must parse. Other types cannot be checked and are taken as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

_HTML_END = re.compile(rb"</html\s*>", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def incomplete_reason(headers: Mapping[str, str], body: bytes) -> str | None:
    """Why `body` is not the whole document its headers announce, or None when nothing says it is cut short."""
    lower = {name.lower(): value for name, value in headers.items()}
    declared = lower.get("content-length", "").strip()
    encoded = lower.get("content-encoding", "identity").strip().lower() not in ("", "identity")
    if declared.isdigit():
        # A decoded (gzip) body is longer than the Content-Length of its encoded bytes, so only identity compares.
        if not encoded and len(body) != int(declared):
            return f"got {len(body)} of the {declared} bytes its Content-Length announced"
        return None
    if "chunked" in lower.get("transfer-encoding", "").lower():
        return None  # the last chunk marked the end; httpx refuses a chunked body without it
    content_type = lower.get("content-type", "").lower()
    if "html" in content_type or (not content_type and _HTML_START.match(body[:4096])):
        if _HTML_END.search(body) is None:
            return "the connection closed before the HTML document reached </html>"
    elif "json" in content_type:
        try:
            json.loads(body)
        except ValueError:  # also UnicodeDecodeError: a multi-byte character cut in half
            return "the connection closed before the JSON document was complete"
    return None
