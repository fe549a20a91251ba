"""The Scrapy shell: spider base, backfill, downloads, pipelines, feeds, report, signals."""
