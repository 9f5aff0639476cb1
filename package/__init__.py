"""coopgraph: defence- and technology-cooperation reporting as a graph of cited claims.

The package is laid out as four subpackages, one way through::

    sources -> coopgraph.loaders -> coopgraph.graph -> coopgraph.queries -> coopgraph.cli

Examples
--------
>>> from coopgraph.graph import open_store
>>> from coopgraph.graph.dates import PartialDate
>>> PartialDate.parse("2015-11").precision
'month'
"""

__version__ = "0.1.0"
