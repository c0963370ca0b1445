"""The web app: a JSON API and an offline map page over the store."""
