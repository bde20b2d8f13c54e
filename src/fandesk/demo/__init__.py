"""Demo data: a deterministic, realistic Xiaohongshu workspace written in the platform's own formats.

`fandesk.demo.generate.generate_demo_files` writes the files; the `fandesk demo` command imports them
through the real importers, so the demo walks the same path as a user's own crawl.
"""
