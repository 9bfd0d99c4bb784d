"""robots.txt rules per origin, parsed with protego (the parser Scrapy uses)."""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says; `None` parser means "everything allowed" (no file)."""

    parser: Protego | None
    disallow_all: bool = False

    @classmethod
    def from_response(cls, status: int, body: bytes) -> RobotsRules:
        """Apply the usual reading of robots.txt fetch results.

        4xx means there is no file, so everything is allowed; 5xx means the site cannot tell us
        right now, so we assume everything is forbidden (as Google does) rather than guess.
        """
        if 200 <= status < 300:
            return cls(Protego.parse(body.decode("utf-8", errors="replace")))
        if 400 <= status < 500:
            return cls(None)
        return cls(None, disallow_all=True)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None
