"""The distributed engine: extraction on a Dask cluster, results merged into the same store."""

from __future__ import annotations

from ..errors import ConfigError

INSTALL_HINT = 'the dask engine needs Dask: pip install "frontlines[dask]"'


def require_dask() -> None:
    """Refuse with the install command when Dask's distributed scheduler is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None


def dask_outcomes(*args, **kwargs):
    """See `frontlines.scale.driver.dask_outcomes` (imported only when Dask is used)."""
    require_dask()
    from .driver import dask_outcomes as outcomes

    return outcomes(*args, **kwargs)


__all__ = ["INSTALL_HINT", "dask_outcomes", "require_dask"]
