from newsbot.profiles import TABNAK
from newsbot.spiders.base import NewsSiteSpider


class TabnakSpider(NewsSiteSpider):
    """Tabnak (www.tabnak.ir), a news site."""

    name = "tabnak"
    profile = TABNAK
