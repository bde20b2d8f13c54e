"""The audit log: who changed what, when, before and after; the lowest domain, every other one writes to it."""
