"""Accessibility audit (axe-core 4.x in headless Chromium) and page-weight budgets."""
