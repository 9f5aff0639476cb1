"""The command-line interface (click). Library first: every command calls ``coopgraph.queries``."""
