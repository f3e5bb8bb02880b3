"""Who may read what: rules.py (pure) decides, readers.py asks it for the site (hooks, search, tickets, portal)."""
