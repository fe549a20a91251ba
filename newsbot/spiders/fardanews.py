from newsbot.profiles import FARDANEWS
from newsbot.spiders.base import NewsSiteSpider


class FardanewsSpider(NewsSiteSpider):
    """Farda News (www.fardanews.com), a news and analysis site."""

    name = "fardanews"
    profile = FARDANEWS
