"""Open data and public statistics: monthly indicators per démarche, the catalogue, fiches, services and help
points, as pages, CSV/JSON files and a read-only API (never a count small enough to point at someone)."""
