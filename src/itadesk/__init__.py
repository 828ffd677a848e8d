"""itadesk: the ITA workbench. The core (this package outside ``web``) never imports Django; see ARCHITECTURE.md."""
