from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import ENTEKHAB


class EntekhabSpider(NewsSiteSpider):
    """Entekhab (www.entekhab.ir), a news site."""

    name = "entekhab"
    profile = ENTEKHAB
