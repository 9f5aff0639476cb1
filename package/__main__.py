"""Allow ``python -m coopgraph``."""

from coopgraph.cli.main import main

if __name__ == "__main__":
    main()
