"""svc: real experience score (真实体验分) toolkit for e-commerce merchants.

The library modules (``load``, ``scoring``, ``simulate``, ``repurchase`` …) never import
typer or rich; ``svc_cli.cli`` is the thin command-line layer over them.
"""

__version__ = "0.1.0"
