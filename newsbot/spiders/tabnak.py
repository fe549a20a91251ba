from newsbot.crawl.spider import NewsSiteSpider
from newsbot.sites.profiles import TABNAK


class TabnakSpider(NewsSiteSpider):
    """Tabnak (www.tabnak.ir), a news site."""

    name = "tabnak"
    profile = TABNAK
