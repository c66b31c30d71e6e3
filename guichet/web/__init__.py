"""The web layer shared by citizen and back-office views: assets, security headers, stored pages,
languages, template helpers, error pages, rate limits and short-lived personal access."""
