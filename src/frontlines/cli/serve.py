"""`frontlines serve`: the JSON API and the offline map page over the store, on uvicorn."""

from __future__ import annotations

import ipaddress
import secrets
import sys

import click

from .common import error
from .ingest import opened_store
from .timeline import loaded_profile, profile_name, store_options

SWITCH_INTERVAL_S = 0.0005


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def announce(host: str, port: int, token: str | None) -> None:
    """The address (and the ingest token) on stderr, where logs go and pipes do not look."""
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"frontlines: serving http://{shown}:{port}/ (API reference at /docs); "
               "Ctrl-C to stop", err=True)
    if token:
        click.echo(f"frontlines: ingest token: {token}  (POST /api/documents with "
                   f"'Authorization: Bearer {token}')", err=True)
    if not is_loopback(host):
        error(f"warning: listening on {host}, reachable from other machines")


@click.command()
@store_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--allow-ingest", is_flag=True,
              help="Accept POST /api/documents (with the bearer token printed at start-up).")
@click.option("--token", default=None, metavar="TOKEN",
              help="The bearer token for --allow-ingest (default: a new random one).")
def serve(db, profile, host, port, allow_ingest, token):
    """Serve the store: a read-only JSON API (OpenAPI at /openapi.json, reference at /docs)
    and the map page at /, with a time slider over control and events; offline."""
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as err:
        raise click.ClickException(f"the web app needs its extra: pip install 'frontlines[web]' ({err})") from None
    if token and not allow_ingest:
        raise click.UsageError("--token is only used with --allow-ingest")
    profile = profile_name(profile, db)
    loaded_profile(profile)  # a bad profile is one line and exit 1, before the server starts
    token = (token or secrets.token_urlsafe(24)) if allow_ingest else None
    with opened_store(db, create=allow_ingest) as store:
        app = create_app(store, profile=profile, allow_ingest=allow_ingest, token=token)
        announce(host, port, token)
        # The event loop, which answers control and the kept answers without a thread, takes
        # the interpreter lock from a computing worker thread within 0.5 ms (Python's default
        # is 5 ms): the quick answers do not queue behind the slow ones.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        uvicorn.run(app, host=host, port=port, log_level="warning")
