"""Measuring the community: read-only numbers over every other domain's rows (engagement, depth,
growth, community, negative feedback, team, return, health), per account and period, each against
the previous period and with the list behind it. Formulas: docs/metrics.md."""
