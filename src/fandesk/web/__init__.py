"""The team inbox web app: FastAPI, server-rendered Jinja2 pages, HTMX for partial updates."""
