from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import FARDANEWS


class FardanewsSpider(NewsSiteSpider):
    """Farda News (www.fardanews.com), a news and analysis site."""

    name = "fardanews"
    profile = FARDANEWS
