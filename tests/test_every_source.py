"""Every source module in scraper/sources is complete and wired in, found by discovery (no list to keep).

A source is one module plus its tests: parser tests in tests/scraper/sources/test_<name>.py with sample
pages saved under tests/fixtures/<name>/ (with a README saying where they came from), and then it is on
the command line, has a Bahasa name on the desk and, if it is fetched, can be scheduled.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scraper.sources
from scraper import sources
from service.cli.main import app
from service.collect.scheduler import ScrapeScheduler
from service.display.labels import source_label
from service.settings import Settings
from service.store.session import Store
from service.store.tables import Source as SourceRow
from service.store.types import utc_now
from tests.scraper.sources.samples import FIXTURES, samples_of, source_for_tests, source_test_module

NAMES = sources.names()


def test_every_module_of_the_sources_package_is_a_registered_source() -> None:
    modules = {m.name for m in pkgutil.iter_modules(scraper.sources.__path__) if m.name != "base"}
    assert modules == set(NAMES) and len(NAMES) >= 4


@pytest.mark.parametrize("name", NAMES)
def test_source_has_parser_tests_on_saved_pages_with_their_provenance(name: str) -> None:
    module = source_test_module(name)
    assert [attr for attr in dir(module) if attr.startswith("test_")], f"{module.__name__} has no tests"
    assert (FIXTURES / name / "README.md").is_file(), f"tests/fixtures/{name}/README.md says where its pages came from"
    samples = samples_of(name)
    assert samples, f"{module.__name__} names no SAMPLE_PAGES"
    for sample in samples:
        assert sample.fixture.is_file() and sample.fixture.is_relative_to(FIXTURES), sample.fixture
        assert source_for_tests(name).parse(sample.page()).posts, f"{sample.fixture.name} gives no post"


@pytest.mark.parametrize("name", NAMES)
def test_source_is_on_the_command_line_with_its_parameters(name: str) -> None:
    info = sources.info(name)
    commands = [["scrape", name], ["sources", "add", name]] if info.is_web else [["import", name]]
    for words in commands:
        result = CliRunner().invoke(app, [*words, "--help"], terminal_width=200)
        assert result.exit_code == 0, result.output
        for param in info.params:
            assert "--" + param.name.replace("_", "-") in result.output, (words, param.name)


@pytest.mark.parametrize("name", NAMES)
def test_source_has_its_own_name_on_the_desk(name: str) -> None:
    label = sources.info(name).label
    assert label.strip() and source_label(name) == label


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_web_source_can_be_scheduled_and_no_file_source_is(store: Store, settings: Settings) -> None:
    with store.session_factory() as session, session.begin():
        for name in NAMES:
            session.add(SourceRow(name=f"{name}:contoh", kind=name, params={}, interval_seconds=3600, enabled=True,
                                  cursor={}, created_at=utc_now()))
    scheduler = ScrapeScheduler(store.engine, store.session_factory, settings, after_run=lambda summary: None)
    scheduler.sync_jobs()
    scheduled = {job.name for job in scheduler._scheduler.get_jobs()}
    assert scheduled == {f"{name}:contoh" for name in sources.web_names()}
    assert set(sources.web_names()) | set(sources.file_names()) == set(NAMES)


def test_the_scraper_readme_explains_adding_a_source() -> None:
    readme = (Path(__file__).resolve().parents[1] / "scraper" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a source", 1)[1].split("\n## ", 1)[0]
    for needed in ("@register", "SAMPLE_PAGES", "tests/fixtures/", "tests/scraper/sources/test_"):
        assert needed in section
