"""`python -m service.cli` runs the same CLI as the `lokerwatch` console script."""

from service.cli.main import main

main()
