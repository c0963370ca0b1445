"""`python -m frontlines` runs the command line."""

from .cli import main

main()
