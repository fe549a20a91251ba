"""The spiders: one per site, each a thin subclass of NewsSiteSpider naming its profile."""
