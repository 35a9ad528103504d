"""The web app for assessment rounds; :func:`create_app` builds it over a store."""

from .app import create_app

__all__ = ["create_app"]
