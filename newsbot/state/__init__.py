"""The crawl state: what each site has emitted, kept across runs."""
