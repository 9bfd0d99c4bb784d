"""`lokerwatch links update`: link every stored ad not linked yet (contacts, reposts, clusters)."""

from __future__ import annotations

import typer

from service.cli.console import command_store, out, progress_bar
from service.settings import get_settings

links_app = typer.Typer(no_args_is_help=True, help="Linked ads: shared contacts, reposts, clusters.")


@links_app.command("update")
def links_update() -> None:
    """Link ads stored or changed since the last run (run it after `score`; the scheduler does)."""
    # MinHash and scikit-learn: load only when linking
    from service.links.linking import count_clusters, count_stale, link_pending

    settings = get_settings()
    store = command_store(settings)
    with store.session_factory() as session:
        pending = count_stale(session)
    with progress_bar("link ads", pending) as advance:
        linked = link_pending(store.session_factory, settings.near_duplicate_threshold, progress=advance)
    with store.session_factory() as session:
        clusters = count_clusters(session)
    out.print(f"linked {linked} ads; {clusters} clusters")
