"""Submitted requests: submission, receipt and its legal dates, tracking, emails to the person."""
